/**
 * What each Application deploys, grouped by destination cluster: ApplicationSets expanded, sources
 * built with kustomize (or helm, or read as plain manifests). Shared by validate and diff.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RejectionKind } from '../argocd/checks.js';
import { clusterIndex } from '../argocd/cluster-index.js';
import { clusterFromSecret, expand, type Cluster, type EngineContext } from '../argocd/engine.js';
import { localGitSource } from '../argocd/local-repo.js';
import { withClusters } from '../argocd/repo-clusters.js';
import { normalizeGitURL } from '../argocd/repo-url.js';
import { which, type KustomizeTool } from '../kustomize/build.js';
import { isObj } from '../objects.js';
import { MAX_MANIFEST_BYTES } from '../secrets/leak.js';
import type { Fleet } from '../model/schema.js';
import { Builder } from './builds.js';
import type { KnownFiles } from './inputs.js';
import { finding, resourceRef, type Finding, type RuleId } from './findings.js';
import { helmTemplate } from './helm.js';
import type { ClusterView, Deployed } from './mesh.js';
import { appSources, asMap, meta, metaName, type AppSource, type KubeObject } from './objects.js';
import { clusterInfo, readDocuments, type ArgoObjects, type Located } from './sources.js';

export type App = Located<KubeObject> & { from?: string };

/** What the engine knows of a repo: its cluster Secrets and the fleet's clusters, and the checkout for git generators. */
export function engineContext(root: string, argo: ArgoObjects, fleet: Fleet | undefined): EngineContext {
  const secrets = argo.others.map((d) => clusterFromSecret(d.obj)).filter((c): c is Cluster => c !== undefined);
  return { clusters: withClusters(secrets, fleet?.clusters.map(clusterInfo) ?? []), repo: localGitSource(root, fleet ? [fleet.git.repoURL] : []) };
}

// A `{{...}}` left in a fasttemplate render: Argo keeps a tag no generator fills as written.
const LEFT_TAG = /\{\{[^{}]*\}\}/;

function leftTag(v: unknown): string | undefined {
  if (typeof v === 'string') return LEFT_TAG.exec(v)?.[0];
  if (Array.isArray(v)) return v.map(leftTag).find(Boolean);
  if (v && typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => leftTag(k) ?? leftTag(x))
      .find(Boolean);
  return undefined;
}

const REJECTION_RULE: Record<RejectionKind, RuleId> = {
  duplicate: 'app/duplicate-name',
  name: 'app/invalid-name',
  destination: 'app/destination-unknown',
  project: 'appset/rejected',
};

/**
 * Applications as Argo CD would have them: the plain ones, then what each ApplicationSet creates.
 * Without `findings` (diff only compares what is created), nothing is diagnosed.
 */
export function expandApplications(argo: ArgoObjects, ctx: EngineContext, findings?: Finding[]): App[] {
  const apps: App[] = [...argo.applications];
  for (const d of argo.applicationSets) {
    const r = expand(d.obj, ctx);
    for (const a of r.apps) apps.push({ obj: a, file: d.file, line: d.line, from: metaName(d.obj) });
    if (findings) diagnose(d, r, findings);
  }
  return apps;
}

/** What Argo CD reports for an ApplicationSet's expansion: errors, skipped generators, rejected and half-filled Applications. */
function diagnose(d: Located<KubeObject>, r: ReturnType<typeof expand>, findings: Finding[]): void {
  const where = { application: metaName(d.obj), resource: resourceRef(d.obj), file: d.file, line: d.line };
  const setErrors = r.rejected.length ? [] : r.errors;
  for (const m of setErrors) findings.push(finding('appset/rejected', `Argo CD creates no Application from this ApplicationSet: ${m}`, where));
  for (const m of r.skipped) findings.push(finding('appset/generator-unsupported', m, where));
  for (const rej of r.rejected)
    findings.push(
      finding(REJECTION_RULE[rej.kind], `Argo CD does not create Application "${rej.name}": ${rej.reason}`, {
        ...where,
        application: rej.name || where.application,
      }),
    );
  for (const a of [...r.apps, ...r.rejected.map((x) => x.app)]) {
    const tag = isObj(d.obj.spec) && d.obj.spec.goTemplate === true ? undefined : leftTag(a);
    if (tag)
      findings.push(
        finding('appset/unknown-parameter', `${tag} is left as written: no generator gives that parameter`, {
          ...where,
          application: String(meta(a).name),
        }),
      );
  }
}

export interface DeployOptions {
  root: string;
  apps: App[];
  clusters: Cluster[];
  fleet?: Fleet;
  tool: KustomizeTool;
  cacheDir: string | undefined;
  parallel?: number;
  /**
   * A builder the caller owns and disposes, shared by calls over the same root: a path both ask for
   * is built once. The options above that configure a builder are then its own.
   */
  builder?: Builder;
  shareShapes?: boolean;
  /** Build kustomizations with remote resources (kustomize then fetches them). */
  allowRemote?: boolean;
  /** Files git vouches for (paths relative to root): known by blob id, not read. */
  known?: KnownFiles;
  onProgress?: (phase: string, done?: number, total?: number) => void;
}

export interface Deployments {
  views: Map<string, ClusterView>;
  findings: Finding[];
  builds: number;
  cachedBuilds: number;
  sharedBuilds: number;
  /** The build cache keys of what was built or found cached. */
  cacheKeys: string[];
  /** Builds that failed for this machine's reasons (memory cap, time limit), not the inputs'. */
  machineFailures: number;
}

export const sourcesOf = appSources;

export async function deployments(opts: DeployOptions): Promise<Deployments> {
  const { root, apps, clusters, fleet, tool } = opts;
  const findings: Finding[] = [];
  const builder =
    opts.builder ??
    new Builder(root, tool, opts.cacheDir, {
      parallel: opts.parallel,
      shareShapes: opts.shareShapes ?? true,
      known: opts.known,
    });
  // A shared builder counts across calls: this call reports its own part.
  const buildsBefore = builder.builds;
  const sharedBefore = builder.sharedBuilds;
  const machineBefore = builder.machineFailures;
  const views = new Map<string, ClusterView>();
  const knownClusters = new Set(clusters.map((c) => c.fleetName ?? c.name));
  let cachedBuilds = 0;
  const repoURL = fleet?.git.repoURL;
  const helm = which('helm');
  // The same repository however it is spelled (case, .git, trailing slash, scp-style ssh), as Argo CD compares them.
  const local = (src: AppSource) =>
    src.chart === undefined &&
    !(typeof src.repoURL === 'string' && src.repoURL.startsWith('oci://')) &&
    (repoURL === undefined || normalizeGitURL(String(src.repoURL ?? '')) === normalizeGitURL(repoURL));
  const blocking = (path: string) => builder.reader.hazards(path, MAX_MANIFEST_BYTES).filter((h) => h.kind === 'unsafe' || !opts.allowRemote);
  try {
    // Start every local kustomize build up front, so overlays of one shape share a build.
    const requests = apps.flatMap((a) =>
      sourcesOf(a.obj)
        .filter((src) => local(src) && typeof src.path === 'string')
        .filter((src) => {
          const abs = join(root, String(src.path));
          return (
            abs.startsWith(root) &&
            builder.reader.exists(String(src.path)) &&
            builder.reader.kustomizationFile(String(src.path)) !== undefined &&
            blocking(String(src.path)).length === 0
          );
        })
        .map((src) => ({ path: String(src.path), options: src.kustomize })),
    );
    await builder.prefetch(requests);
    let done = 0;
    await Promise.all(
      apps.map(async (a) => {
        await deployOne(a);
        opts.onProgress?.('building', ++done, apps.length);
      }),
    );
    async function deployOne(a: App): Promise<void> {
      {
        const name = String(meta(a.obj).name ?? '');
        const where = { application: name, file: a.file, line: a.line };
        const cluster = destinationCluster(a.obj, clusters);
        const known = cluster !== undefined && (cluster === 'in-cluster' || !fleet || knownClusters.has(cluster));
        if (fleet && cluster && !known) findings.push(finding('app/destination-unknown', `destination cluster "${cluster}" is not in calisti.yaml`, where));
        const view = views.get(cluster ?? '(unknown)') ?? { cluster: cluster ?? '(unknown)', resources: [] as Deployed[] };
        views.set(view.cluster, view);
        // What an unresolvable destination receives cannot be checked as one cluster.
        if (!known || cluster!.includes('{{')) view.incomplete = true;
        for (const src of sourcesOf(a.obj)) {
          if (src.chart !== undefined || (typeof src.repoURL === 'string' && src.repoURL.startsWith('oci://'))) {
            findings.push(...ociChartFindings(src, where));
            findings.push(finding('helm/not-rendered', `chart ${src.chart ?? src.repoURL}@${src.targetRevision} is remote and was not rendered`, where));
            continue;
          }
          if (!local(src)) {
            findings.push(
              finding(
                'app/source-not-checked',
                `source ${String(src.repoURL ?? '(no repoURL)')} is not this repo (${repoURL ?? '?'}) nor a chart: what it deploys was not checked`,
                where,
              ),
            );
            continue;
          }
          const path = String(src.path ?? '.');
          const abs = join(root, path);
          if (!abs.startsWith(root) || !builder.reader.exists(path)) {
            findings.push(finding('app/source-path-missing', `source path "${path}" does not exist in the repo`, where));
            continue;
          }
          if (builder.reader.exists(join(path, 'Chart.yaml'))) {
            if (!helm) {
              findings.push(finding('helm/not-rendered', `chart ${path} was not rendered: helm is not installed`, where));
              continue;
            }
            const r = await helmTemplate(helm, abs, a.obj, src);
            if (!r.ok) {
              findings.push(
                finding('helm/template-failed', `helm template ${path}: ${r.stderr.split('\n').slice(-2).join(' ')}`, { ...where, cluster: view.cluster }),
              );
              view.incomplete = true;
              continue;
            }
            for (const o of r.objects) view.resources.push({ obj: o.obj, application: name, file: o.source ? join(path, o.source) : undefined });
            continue;
          }
          if (!builder.reader.kustomizationFile(path)) {
            // A plain directory of manifests, as Argo CD reads it.
            for (const f of readdirSync(abs)
              .filter((f) => /\.(ya?ml|json)$/.test(f))
              .sort()) {
              for (const d of readDocuments(root, join(path, f), findings)) view.resources.push({ obj: d.obj, application: name, file: d.file, line: d.line });
            }
            continue;
          }
          const hazards = blocking(path);
          if (hazards.length) {
            for (const h of hazards)
              findings.push(
                finding(
                  h.kind === 'remote' ? 'kustomize/remote-resource' : 'kustomize/unsafe-input',
                  `${h.ref}: ${h.reason}; not built${h.kind === 'remote' ? ' (validate --allow-remote builds it)' : ''}`,
                  { ...where, file: h.file, cluster: view.cluster },
                ),
              );
            view.incomplete = true;
            continue;
          }
          const b = await builder.build({ path, options: src.kustomize });
          if (b.cached) cachedBuilds++;
          for (const o of b.ignoredOptions) findings.push(finding('appset/generator-unsupported', `spec.source.kustomize.${o} is not applied offline`, where));
          if (!b.ok) {
            findings.push(finding('kustomize/build-failed', `${tool.name} ${path}: ${kustomizeError(b.stderr)}`, { ...where, cluster: view.cluster }));
            view.incomplete = true;
            continue;
          }
          for (const line of b.stderr.split('\n').filter(Boolean))
            findings.push(finding('kustomize/warning', `${path}: ${line}`, { ...where, cluster: view.cluster }));
          for (const o of b.objects) view.resources.push({ obj: o.obj, application: name, file: o.file, source: path });
        }
      }
    }
  } finally {
    if (!opts.builder) builder.dispose();
  }
  return {
    views,
    findings,
    builds: builder.builds - buildsBefore,
    cachedBuilds,
    sharedBuilds: builder.sharedBuilds - sharedBefore,
    machineFailures: builder.machineFailures - machineBefore,
    cacheKeys: builder.usedKeys(),
  };
}

export function destinationCluster(app: KubeObject, clusters: Cluster[]): string | undefined {
  // Read as AppSpec's destination reads it (a map, fields as they are), without parsing the sources.
  const dest = asMap(asMap(app.spec).destination);
  const name = dest.name;
  const server = dest.server;
  // Argo CD may know a fleet cluster by another name (clusters[].argocd.name): views use the fleet's.
  const index = clusterIndex(clusters);
  if (name) return (typeof name === 'string' ? index.byName.get(name)?.[0]?.fleetName : undefined) ?? String(name);
  if (server === 'https://kubernetes.default.svc') return 'in-cluster';
  return (
    (typeof server === 'string' ? index.byServer.get(server)?.[0]?.name : undefined) ?? (server === undefined || server === null ? undefined : String(server))
  );
}

function ociChartFindings(src: AppSource, where: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  const repo = String(src.repoURL ?? '');
  // A Helm repository over HTTP(S) (the sealed-secrets chart) is not an OCI reference.
  if (/^https?:\/\//i.test(repo)) return out;
  if (src.chart !== undefined && repo.startsWith('oci://'))
    out.push(finding('helm/oci-reference', `repoURL "${repo}" with chart: a Helm repository over OCI takes the registry without oci://`, where));
  if (src.chart !== undefined && !/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/i.test(repo.replace(/^oci:\/\//, '')))
    out.push(finding('helm/oci-reference', `repoURL "${repo}" is not a registry/path reference`, where));
  if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(String(src.targetRevision ?? '')))
    out.push(
      finding('helm/oci-reference', `targetRevision "${src.targetRevision ?? ''}" is not a literal chart version; bots and upgrade cannot bump a range`, where),
    );
  return out;
}

/** The cause from kustomize's error chain, without kubectl's log prefix and the accumulation trail. */
export function kustomizeError(stderr: string): string {
  let msg = stderr
    .trim()
    .replace(/^E\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err="/, '')
    .replace(/^"command failed" err="/, '')
    .replace(/"$/, '');
  const parts = msg.split(/': (?=[A-Za-z])/);
  msg = parts[parts.length - 1]!.replace(/^(accumulating resources|recursed accumulation of path '[^']*'): /g, '');
  return msg.replace(/\\"/g, '"');
}
