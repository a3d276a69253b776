/**
 * The cluster-side steps of the guides, with @kubernetes/client-node: register a cluster in Argo CD
 * (sealed, offline), exchange cluster trust (export-secrets.sh), bootstrap the management cluster,
 * and report status. Every write is a server-side apply, so each command can run again safely.
 */
import { Applicable, type ApplicableObject, ApplicationList, ControlPlaneStatus, readObject, RegistryCluster, RegistrySecret } from './objects.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { findKustomize, kustomizeBuild } from '../kustomize/build.js';
import { ModelEdit } from '../model/edit.js';
import { clusterSecretName } from '../render/argocd.js';
import { applicationName } from '../render/app-name.js';
import { APPS } from '../render/apps/registry.js';
import { renderContext } from '../render/context.js';
import { BOOTSTRAP_DIR, NS, SEALED_FILE } from '../render/layout.js';
import { RepoFs } from '../repo/fs.js';
import { runGenerate } from '../repo/generate.js';
import { oaepLabel, publicKeyFromCert, seal } from '../secrets/crypto.js';
import { MANAGEMENT_CLUSTER, SealedStore } from '../secrets/store.js';
import { loadRepoModel, withRepoModel } from '../upgrade/apply.js';
import { parseAllDocuments } from 'yaml';
import { connect, type ClusterApi } from './api.js';
import { contextCredentials, loadKubeConfig } from './kubeconfig.js';
import { chooseRegistration, clusterConfig, installManager, managerObjects, type Registration } from './registration.js';

/** The docs' cluster name rule (release 1.11 notes): `_`, `.` and `:` become `-`, at most 63 characters. */
export function clusterNameFrom(context: string): string {
  return context
    .toLowerCase()
    .replace(/[_.:]/g, '-')
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

export interface AddOptions {
  dir: string;
  context: string;
  kubeconfig?: string;
  cert: Buffer;
  name?: string;
  role: 'active' | 'passive';
  network?: string;
  /** Copy the context's own credentials instead of creating a ServiceAccount on the cluster. */
  offline: boolean;
  commit: boolean;
}

export interface AddResult {
  cluster: string;
  /** The context the name was made from, when the name differs from it. */
  renamedFrom?: string;
  added: boolean;
  registration: Registration['mode'];
  /** Objects created on the cluster (service-account registration). */
  created: string[];
  commit: string | null;
  /** What is left to do, as commands. */
  next: string[];
}

export async function runClustersAdd(opts: AddOptions): Promise<AddResult> {
  return withRepoModel(opts.dir, async ({ root, text, fleet }) => {
    const kc = await loadKubeConfig(opts.kubeconfig);
    const creds = contextCredentials(kc, opts.context);
    const name = opts.name ?? clusterNameFrom(opts.context);
    const key = publicKeyFromCert(opts.cert);
    const registration = chooseRegistration(creds, opts.offline);
    // The only write to the cluster, before anything in the repo changes.
    const manager = registration.mode === 'service-account' ? await installManager(await connect(kc, creds)) : undefined;
    const ns = fleet.argocd.namespace;
    const secretName = clusterSecretName(name);
    const data = { config: JSON.stringify(clusterConfig(registration, creds, manager)), name, server: creds.server };
    const fs = new RepoFs(root);
    const store = SealedStore.parse(fs.read(SEALED_FILE), SEALED_FILE);
    const label = oaepLabel('strict', ns, secretName);
    store.put({
      cluster: MANAGEMENT_CLUSTER,
      namespace: ns,
      name: secretName,
      scope: 'strict',
      type: 'Opaque',
      encryptedData: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, seal(key, Buffer.from(v), label).toString('base64')])),
    });
    const edit = new ModelEdit(text);
    const added = !fleet.clusters.some((c) => c.name === name);
    if (added) edit.append(['clusters'], { name, role: opts.role, ...(opts.network ? { network: opts.network } : {}) });
    edit.fleet();
    const r = await runGenerate({
      dir: root,
      commit: opts.commit,
      force: false,
      message: `chore(clusters): ${added ? 'add' : 'update credentials of'} ${name}`,
      modelText: { text: edit.text(), display: 'calisti.yaml' },
      sealedText: store.serialize(),
    });
    const cert = '<sealed-secrets cert of ' + name + '>';
    return {
      cluster: name,
      ...(name !== opts.context ? { renamedFrom: opts.context } : {}),
      added,
      registration: registration.mode,
      created: manager ? managerObjects().map((o) => objectRef(o as { kind: string; metadata: { name: string; namespace?: string } })) : [],
      commit: r.commit,
      next: [
        ...(added
          ? [
              `calisti-gitops seal --cert ${cert} --cluster ${name} --target registry${opts.commit ? '' : ' --no-commit'}  # the new cluster's registry pull secret`,
            ]
          : []),
        ...(opts.commit ? [] : ['review with git diff, then git commit the changes (--no-commit left them uncommitted)']),
      ],
    };
  });
}

/**
 * Removes a cluster from the model with everything the repo holds for it. Argo CD then deletes its
 * Applications and, through their finalizers, everything they installed: so only with consent.
 */
export async function runClustersRemove(opts: {
  dir: string;
  name: string;
  allowDestructive: boolean;
  commit: boolean;
}): Promise<{ cluster: string; applications: string[]; commit: string | null }> {
  return withRepoModel(opts.dir, async ({ root, text, fleet }) => {
    const index = fleet.clusters.findIndex((c) => c.name === opts.name);
    if (index < 0) throw new UserError(`no cluster "${opts.name}" in calisti.yaml`, 'calisti-gitops clusters list');
    const fs = new RepoFs(root);
    const store = SealedStore.parse(fs.read(SEALED_FILE), SEALED_FILE);
    // The Applications generated for this cluster, by the names Argo CD knows them: what it will delete.
    const ctx = renderContext(fleet);
    const apps = APPS.filter((app) => app.clusters(ctx).some((c) => c.name === opts.name))
      .map((app) => applicationName(app.appPrefix, opts.name))
      .sort();
    if (!opts.allowDestructive) {
      throw new UserError(
        `removing ${opts.name} deletes its Applications (${apps.join(', ')}); Argo CD's resources finalizer and prune then delete what they installed on the cluster: the control planes, istio-system, cert-manager, the operator and its CRDs`,
        `calisti-gitops clusters remove ${opts.name} --allow-destructive (if that is intended)`,
      );
    }
    const references = [
      ...(fleet.demoApp?.placement ?? []).flatMap((p, i) => (p.cluster === opts.name ? [`demoApp.placement[${i}]`] : [])),
      ...(fleet.gateways ?? []).flatMap((g, i) => (g.clusters.includes(opts.name) ? [`gateways[${i}].clusters`] : [])),
      ...(fleet.namespaces ?? []).flatMap((n, i) => (n.clusters?.includes(opts.name) ? [`namespaces[${i}].clusters`] : [])),
    ];
    if (references.length) {
      throw new UserError(
        `${opts.name} is still named in calisti.yaml at ${references.join(', ')}: move or remove what runs there first`,
        `calisti-gitops clusters remove ${opts.name} --allow-destructive (after editing calisti.yaml)`,
      );
    }
    const edit = new ModelEdit(text).delete(['clusters', index]);
    for (const e of store.entriesOf(opts.name)) store.remove(e.cluster, e.namespace, e.name);
    store.remove(MANAGEMENT_CLUSTER, fleet.argocd.namespace, clusterSecretName(opts.name));
    edit.fleet();
    const r = await runGenerate({
      dir: root,
      commit: opts.commit,
      force: false,
      message: `chore(clusters): remove ${opts.name}`,
      modelText: { text: edit.text(), display: 'calisti.yaml' },
      sealedText: store.serialize(),
      allowDestructive: true,
    });
    return { cluster: opts.name, applications: apps, commit: r.commit };
  });
}

const objectRef = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
  `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

export interface ClusterRow {
  name: string;
  role: string;
  network: string;
  /** Whether a sealed Argo CD cluster Secret registers it. */
  registered: boolean;
  /** Whether its registry pull secret is sealed. */
  pullSecretSealed: boolean;
}

/** The model's clusters with what the repo holds for each. */
export async function runClustersList(opts: { dir: string }): Promise<ClusterRow[]> {
  const { root, fleet } = await loadRepoModel(opts.dir);
  const store = SealedStore.parse(new RepoFs(root).read(SEALED_FILE), SEALED_FILE);
  return fleet.clusters.map((c) => ({
    name: c.name,
    role: c.role,
    network: c.network ?? c.name,
    registered: store.get(MANAGEMENT_CLUSTER, fleet.argocd.namespace, clusterSecretName(c.name)) !== undefined,
    pullSecretSealed: store.entriesOf(c.name).length > 0,
  }));
}

export interface TrustStep {
  from: string;
  to: string;
  object: string;
  action: 'applied' | 'would apply';
}

/**
 * export-secrets.sh, idempotent: each cluster's cluster-registry Cluster and its Secret, copied to
 * every other cluster, rebuilt from their fields (never the source's resourceVersion or uid).
 */
export async function runTrust(
  opts: { dir: string; kubeconfig?: string; contexts: Record<string, string>; dryRun: boolean },
  connectTo?: (cluster: string) => Promise<ClusterApi>,
): Promise<TrustStep[]> {
  const { fleet } = await loadRepoModel(opts.dir);
  const names = fleet.clusters.map((c) => c.name);
  if (names.length < 2) throw new UserError('trust needs at least two clusters in calisti.yaml');
  const open = connectTo ?? (await contextConnector(opts.kubeconfig, opts.contexts));
  const apis = new Map<string, ClusterApi>();
  for (const n of names) apis.set(n, await open(n));
  const exported = new Map<string, ApplicableObject[]>();
  for (const n of names) {
    const api = apis.get(n)!;
    const clusterObj = await api.get(`/apis/clusterregistry.k8s.cisco.com/v1alpha1/clusters/${encodeURIComponent(n)}`);
    const secretObj = await api.get(`/api/v1/namespaces/${NS.clusterRegistry}/secrets/${encodeURIComponent(n)}`);
    const cluster = clusterObj && readObject(RegistryCluster, clusterObj, `Cluster ${n}`);
    const secret = secretObj && readObject(RegistrySecret, secretObj, `Secret ${NS.clusterRegistry}/${n}`);
    if (!cluster || !secret)
      throw new UserError(
        `cluster ${n} has no cluster-registry ${!cluster ? `Cluster ${n}` : `Secret ${NS.clusterRegistry}/${n}`} yet`,
        'wait until its ControlPlane is reconciled, then run trust again',
      );
    exported.set(n, [
      {
        apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
        kind: 'Cluster',
        metadata: { name: n, ...(cluster.metadata?.labels ? { labels: cluster.metadata.labels } : {}) },
        spec: cluster.spec,
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: n, namespace: NS.clusterRegistry, ...(secret.metadata?.labels ? { labels: secret.metadata.labels } : {}) },
        type: secret.type,
        data: secret.data ?? {},
      },
    ]);
  }
  const steps: TrustStep[] = [];
  for (const from of names) {
    for (const to of names) {
      if (from === to) continue;
      for (const obj of exported.get(from)!) {
        await apis.get(to)!.apply(obj, { dryRun: opts.dryRun });
        steps.push({
          from,
          to,
          object: `${obj.kind}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`,
          action: opts.dryRun ? 'would apply' : 'applied',
        });
      }
    }
  }
  return steps;
}

async function contextConnector(kubeconfig: string | undefined, contexts: Record<string, string>): Promise<(cluster: string) => Promise<ClusterApi>> {
  const kc = await loadKubeConfig(kubeconfig);
  return (cluster) => connect(kc, contextCredentials(kc, contexts[cluster] ?? cluster));
}

/** Applies bootstrap/ (argocd-cm health patch, root app, sealed secrets) to the management cluster. */
export async function runBootstrap(opts: { dir: string; context: string; kubeconfig?: string; dryRun: boolean }, api?: ClusterApi): Promise<string[]> {
  const { root } = await loadRepoModel(opts.dir);
  const b = await kustomizeBuild(findKustomize(), join(root, BOOTSTRAP_DIR));
  if (!b.ok) throw new UserError(`cannot build ${BOOTSTRAP_DIR}/: ${b.stderr.split('\n').pop()}`, 'run calisti-gitops validate');
  const target = api ?? (await (await contextConnector(opts.kubeconfig, {}))(opts.context));
  const applied: string[] = [];
  for (const doc of parseAllDocuments(b.yaml)) {
    const raw: unknown = doc.toJS();
    if (!raw) continue;
    const obj = readObject(Applicable, raw, `${BOOTSTRAP_DIR}/ (built)`);
    await target.apply(obj, { dryRun: opts.dryRun });
    applied.push(`${obj.kind}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`);
  }
  return applied;
}

export interface StatusRow {
  application: string;
  sync: string;
  health: string;
}

export async function runStatus(
  opts: { dir: string; context: string; kubeconfig?: string },
  api?: ClusterApi,
): Promise<{ applications: StatusRow[]; controlPlanes: Record<string, string> }> {
  const { fleet } = await loadRepoModel(opts.dir);
  const kc = api ? undefined : await loadKubeConfig(opts.kubeconfig);
  const mgmt = api ?? (await connect(kc!, contextCredentials(kc!, opts.context)));
  const list = await mgmt.get(`/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(fleet.argocd.namespace)}/applications`);
  const applications = (list ? readObject(ApplicationList, list, 'Application list').items : [])
    .map((a) => ({ application: a.metadata.name, sync: a.status?.sync?.status ?? 'Unknown', health: a.status?.health?.status ?? 'Unknown' }))
    .sort((a, b) => (a.application < b.application ? -1 : 1));
  const controlPlanes: Record<string, string> = {};
  if (kc) {
    for (const c of fleet.clusters) {
      if (!kc.getContextObject(c.name)) {
        controlPlanes[c.name] = 'no kubeconfig context';
        continue;
      }
      try {
        const cp = await (await connect(kc, contextCredentials(kc, c.name))).get('/apis/smm.cisco.com/v1alpha1/controlplanes/smm');
        controlPlanes[c.name] = cp ? String(readObject(ControlPlaneStatus, cp, `ControlPlane of ${c.name}`).status?.status ?? 'Unknown') : 'no ControlPlane';
      } catch {
        controlPlanes[c.name] = 'unreachable';
      }
    }
  }
  return { applications, controlPlanes };
}

export const readCert = (file: string): Buffer => {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UserError(`cannot read --cert ${file}: ${(e as NodeJS.ErrnoException).code}`);
  }
};
