/**
 * runSeal: credentials in, SealedSecrets out. Values come from the environment (the guide's
 * CALISTI_USERNAME and CALISTI_PASSWORD, CALISTI_OIDC_CLIENT_SECRET) or stdin, never from arguments; they are encrypted in
 * memory and only ciphertext touches the disk. Only the entries asked for are re-encrypted.
 */
import { UserError } from '../errors.js';
import { blueprintFor } from '../model/blueprint.js';
import { OIDC_PATCH_KEY, OIDC_SECRET, oidcSecretPatch } from '../render/apps/smm-controlplane/oidc.js';
import { chartRepositorySecretName, GIT_REPOSITORY_SECRET } from '../render/argocd.js';
import { renderContext } from '../render/context.js';
import { NS, SEALED_FILE } from '../render/layout.js';
import { RepoFs } from './fs.js';
import { runGenerate, type GenerateResult } from './generate.js';
import { withRepoModel } from '../upgrade/apply.js';
import { oaepLabel, publicKeyFromCert, seal, type Scope } from '../secrets/crypto.js';
import { MANAGEMENT_CLUSTER, SealedStore, type SealedEntry } from '../secrets/store.js';
import type { SealTarget } from '../secrets/targets.js';

export interface Credentials {
  /** The Calisti registry's, for registry and chart-repository. */
  username?: string;
  password?: string;
  /** The dashboard's OIDC client secret, for oidc. */
  oidcClientSecret?: string;
}

export interface SealOptions {
  dir: string;
  cert: Buffer;
  /** Workload clusters whose registry pull secret (or OIDC client secret) to seal; default all (with OIDC). */
  clusters?: string[];
  targets: SealTarget[];
  scope: Scope;
  commit: boolean;
  /** The Calisti registry's (registry, chart-repository) and the OIDC client secret (oidc). */
  credentials?: Credentials;
  /** This git repository's, for Argo CD (git-repository). */
  gitCredentials?: Credentials;
}

export interface SealResult extends Pick<GenerateResult, 'changed' | 'commit'> {
  sealed: { cluster: string; namespace: string; name: string; keys: string[] }[];
}

/** A docker config with auths for one registry, in a fixed key order. */
export function dockerConfigJson(registry: string, c: Required<Pick<Credentials, 'username' | 'password'>>): string {
  const auth = Buffer.from(`${c.username}:${c.password}`).toString('base64');
  return JSON.stringify({ auths: { [registry]: { username: c.username, password: c.password, auth } } });
}

export async function runSeal(opts: SealOptions): Promise<SealResult> {
  return withRepoModel(opts.dir, async ({ root, fleet }) => {
    const key = publicKeyFromCert(opts.cert);
    const ctx = renderContext(fleet);
    const bp = blueprintFor(fleet.calisti.version);
    const known = fleet.clusters.map((c) => c.name);
    const unknown = (opts.clusters ?? []).filter((c) => !known.includes(c));
    if (unknown.length) throw new UserError(`unknown cluster(s): ${unknown.join(', ')}`, `clusters are: ${known.join(', ')}`);
    const { username = '', password = '', oidcClientSecret = '' } = opts.credentials ?? {};
    const registryTargets = opts.targets.some((t) => t === 'registry' || t === 'chart-repository');
    if (registryTargets && (!username || !password))
      throw new UserError(
        'the registry username or password is empty',
        'set CALISTI_USERNAME and CALISTI_PASSWORD (or pipe the password with --password-stdin)',
      );
    const withOidc = fleet.clusters.filter((c) => c.dashboard.oidc).map((c) => c.name);
    if (opts.targets.includes('oidc')) {
      if (!oidcClientSecret)
        throw new UserError('the OIDC client secret is empty', 'set CALISTI_OIDC_CLIENT_SECRET (or pipe it with --password-stdin and --target oidc)');
      const without = (opts.clusters ?? withOidc).filter((c) => !withOidc.includes(c));
      if (without.length || withOidc.length === 0)
        throw new UserError(
          `no dashboard.oidc in calisti.yaml for ${without.length ? `cluster(s) ${without.join(', ')}` : 'any cluster'}`,
          'configure clusters[].dashboard.oidc first, then seal its client secret',
        );
    }
    const gitCreds = opts.targets.includes('git-repository') ? opts.gitCredentials : undefined;
    if (opts.targets.includes('git-repository')) {
      if (!fleet.git.repoURL.startsWith('https://')) {
        throw new UserError(
          `git.repoURL ${fleet.git.repoURL} is not https: Argo CD reads it with an ssh key, not a username and token`,
          'seal the key with kubeseal into an Argo CD repository Secret (sshPrivateKey), or use the https URL',
        );
      }
      if (!fleet.git.private)
        throw new UserError('git.private is false in calisti.yaml: Argo CD reads the repository without credentials', 'set git.private: true first');
      if (!gitCreds?.username || !gitCreds.password)
        throw new UserError('the git username or token is empty', 'set CALISTI_GIT_USERNAME and CALISTI_GIT_PASSWORD (a token that can read the repository)');
    }

    const fs = new RepoFs(root);
    const store = SealedStore.parse(fs.read(SEALED_FILE), SEALED_FILE);
    const sealed: SealResult['sealed'] = [];
    const put = (cluster: string, namespace: string, name: string, type: string, data: Record<string, string>) => {
      const entry: SealedEntry = { cluster, namespace, name, scope: opts.scope, type, encryptedData: {} };
      const label = oaepLabel(opts.scope, namespace, name);
      for (const [k, v] of Object.entries(data)) entry.encryptedData[k] = seal(key, Buffer.from(v), label).toString('base64');
      store.put(entry);
      sealed.push({ cluster, namespace, name, keys: Object.keys(data).sort() });
    };
    if (opts.targets.includes('registry')) {
      const config = dockerConfigJson(bp.registry.host, { username, password });
      for (const cluster of opts.clusters ?? known)
        put(cluster, NS.registryAccess, ctx.pullSecretName, 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': config });
    }
    if (opts.targets.includes('chart-repository')) {
      if (fleet.calisti.chart !== 'oci') throw new UserError('calisti.chart is "vendored": Argo CD needs no chart registry credentials');
      put(MANAGEMENT_CLUSTER, fleet.argocd.namespace, chartRepositorySecretName(ctx), 'Opaque', {
        enableOCI: 'true',
        name: bp.chart.name,
        password,
        type: 'helm',
        url: bp.chart.repository,
        username,
      });
    }
    if (gitCreds) {
      put(MANAGEMENT_CLUSTER, fleet.argocd.namespace, GIT_REPOSITORY_SECRET, 'Opaque', {
        password: gitCreds.password!,
        type: 'git',
        url: fleet.git.repoURL,
        username: gitCreds.username!,
      });
    }
    if (opts.targets.includes('oidc')) {
      for (const cluster of opts.clusters ?? withOidc)
        put(cluster, NS.registryAccess, OIDC_SECRET, 'Opaque', { [OIDC_PATCH_KEY]: oidcSecretPatch(oidcClientSecret) });
    }
    const r = await runGenerate({
      dir: root,
      commit: opts.commit,
      force: false,
      message: `chore(secrets): seal ${sealed.map((s) => `${s.namespace}/${s.name}@${s.cluster}`).join(', ')}`,
      sealedText: store.serialize(),
    });
    return { changed: r.changed, commit: r.commit, sealed };
  });
}
