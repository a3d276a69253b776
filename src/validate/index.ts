/**
 * runValidate: a calisti-gitops repo checked the way Argo CD, Kustomize and the clusters will see it.
 * Stages: read Argo CD objects -> expand ApplicationSets -> build each Application's source ->
 * schema-check every resource -> mesh rules per cluster -> fleet rules.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { findKustomize, which } from '../kustomize/build.js';
import { schemasDir } from '../toolkit.js';
import { expandAppSet, type ClusterInfo } from './appset.js';
import { Builder } from './builds.js';
import { checkBuiltin, isBuiltin, loadBuiltinModels } from './builtin.js';
import { CrdRegistry } from './crds.js';
import { finding, refString, resourceRef, RULES, type Finding } from './findings.js';
import { helmTemplate } from './helm.js';
import { kustomizationFile } from './inputs.js';
import { clusterRules, fleetRules, type ClusterView, type Deployed } from './mesh.js';
import { helmCredentialFindings, secretFindings } from './secrets.js';
import { readArgoObjects, readDocuments, readModel, type Located } from './sources.js';
import { checkResource } from './structural.js';

export interface ValidateOptions {
  dir: string;
  strict: boolean;
  /** Extra CRD files or folders. */
  crds: string[];
  /** Build cache folder; default .git/calisti-gitops/build-cache; null disables it. */
  cacheDir?: string | null;
  /** Parallel kustomize processes; default: the number of cores. */
  parallel?: number;
  /** Build overlays of one shape once (default); false builds each overlay on its own. */
  shareShapes?: boolean;
}

export interface ValidateReport {
  dir: string;
  ok: boolean;
  strict: boolean;
  summary: { errors: number; warnings: number; infos: number; applications: number; clusters: number; builds: number; cachedBuilds: number; sharedBuilds: number };
  findings: Finding[];
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export async function runValidate(opts: ValidateOptions): Promise<ValidateReport> {
  const root = resolve(opts.dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${opts.dir} is not a folder`);
  const tool = findKustomize();
  const findings: Finding[] = [];
  const { fleet, clusters } = readModel(root, findings);
  const argo = readArgoObjects(root, findings);
  const cacheDir = opts.cacheDir === null ? undefined : opts.cacheDir ?? defaultCacheDir(root);
  const crds = loadCrds(root, opts.crds, cacheDir);
  const hasArgoCrds = crds.get('argoproj.io/v1alpha1', 'Application') !== undefined;
  if (!hasArgoCrds) findings.push(finding('argocd/schema-unavailable', 'Argo CD CRDs not found: Applications and ApplicationSets were not schema-checked (pass --crds <argo-cd>/manifests/crds)'));

  // An Argo CD file that does not parse hides Applications: cross-resource rules would only guess.
  const argoComplete = !findings.some((f) => f.rule === 'yaml/invalid');
  const schemaCheck = (d: Located<Record<string, any>>) => {
    const schema = crds.get(d.obj.apiVersion, d.obj.kind);
    if (!schema) return;
    for (const p of checkResource(d.obj, schema)) {
      findings.push(finding('argocd/schema', `${p.path}: ${p.message}`, { application: d.obj.metadata?.name, resource: resourceRef(d.obj), file: d.file, line: d.line }));
    }
  };

  // 1. Argo CD objects, with ApplicationSets expanded.
  const apps: (Located<Record<string, any>> & { from?: string })[] = [...argo.applications];
  for (const d of [...argo.applicationSets, ...argo.projects]) schemaCheck(d);
  for (const d of argo.applicationSets) {
    const { apps: expanded, problems } = expandAppSet(d.obj, clusters);
    for (const p of problems) {
      const rule = /unknown parameter|missing key/.test(p) ? 'appset/unknown-parameter' : 'appset/generator-unsupported';
      findings.push(finding(rule, p, { application: d.obj.metadata?.name, resource: resourceRef(d.obj), file: d.file, line: d.line }));
    }
    for (const a of expanded) apps.push({ obj: a, file: d.file, line: d.line, from: d.obj.metadata?.name });
  }
  const names = new Map<string, Located<Record<string, any>>>();
  for (const a of apps) {
    const name = String(a.obj.metadata?.name ?? '');
    const where = { application: name, file: a.file, line: a.line };
    if (hasArgoCrds) schemaCheck(a);
    if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) findings.push(finding('app/invalid-name', `"${name}" is not a DNS-1123 subdomain`, where));
    const ns = a.obj.metadata?.namespace ?? '';
    const prev = names.get(`${ns}/${name}`);
    if (prev) findings.push(finding('app/duplicate-name', `Application ${name} is also defined in ${prev.file}:${prev.line}`, where));
    else names.set(`${ns}/${name}`, a);
    findings.push(...helmCredentialFindings(a.obj, where));
  }
  for (const d of argo.others) findings.push(...secretFindings(d.obj, { file: d.file, line: d.line }));

  // 2. Build what each Application deploys, grouped by destination cluster.
  const builder = new Builder(root, tool, cacheDir, { parallel: opts.parallel, shareShapes: opts.shareShapes ?? true });
  const views = new Map<string, ClusterView>();
  const knownClusters = new Set(clusters.map((c) => c.name));
  let cachedBuilds = 0;
  const repoURL = fleet?.git.repoURL;
  const helm = which('helm');
  try {
    // Start every local kustomize build up front, so overlays of one shape share a build.
    const requests = apps.flatMap((a) => {
      const sources: Record<string, any>[] = a.obj.spec?.sources ?? (a.obj.spec?.source ? [a.obj.spec.source] : []);
      return sources
        .filter((src) => src.chart === undefined && (repoURL === undefined || src.repoURL === repoURL) && typeof src.path === 'string')
        .filter((src) => { const abs = join(root, src.path); return abs.startsWith(root) && existsSync(abs) && kustomizationFile(abs) !== undefined; })
        .map((src) => ({ path: String(src.path), options: src.kustomize }));
    });
    await builder.prefetch(requests);
    const jobs = apps.map(async (a) => {
      const name = String(a.obj.metadata?.name ?? '');
      const where = { application: name, file: a.file, line: a.line };
      const cluster = destinationCluster(a.obj, clusters);
      if (fleet && cluster && !knownClusters.has(cluster) && cluster !== 'in-cluster') findings.push(finding('app/destination-unknown', `destination cluster "${cluster}" is not in calisti.yaml`, where));
      const view = views.get(cluster ?? '(unknown)') ?? { cluster: cluster ?? '(unknown)', resources: [] as Deployed[] };
      views.set(view.cluster, view);
      // What an unresolvable destination receives cannot be checked as one cluster.
      if (!cluster || cluster.includes('{{') || (fleet && !knownClusters.has(cluster) && cluster !== 'in-cluster')) view.incomplete = true;
      const sources: Record<string, any>[] = a.obj.spec?.sources ?? (a.obj.spec?.source ? [a.obj.spec.source] : []);
      for (const src of sources) {
        if (src.chart !== undefined || (typeof src.repoURL === 'string' && src.repoURL.startsWith('oci://'))) {
          findings.push(...ociChartFindings(src, where));
          findings.push(finding('helm/not-rendered', `chart ${src.chart ?? src.repoURL}@${src.targetRevision} is remote and was not rendered`, where));
          continue;
        }
        if (repoURL !== undefined && src.repoURL !== repoURL) continue;
        const path = String(src.path ?? '.');
        const abs = join(root, path);
        if (!abs.startsWith(root) || !existsSync(abs)) {
          findings.push(finding('app/source-path-missing', `source path "${path}" does not exist in the repo`, where));
          continue;
        }
        if (existsSync(join(abs, 'Chart.yaml'))) {
          if (!helm) {
            findings.push(finding('helm/not-rendered', `chart ${path} was not rendered: helm is not installed`, where));
            continue;
          }
          const r = await helmTemplate(helm, abs, a.obj, src);
          if (!r.ok) {
            findings.push(finding('helm/template-failed', `helm template ${path}: ${r.stderr.split('\n').slice(-2).join(' ')}`, { ...where, cluster: view.cluster }));
            view.incomplete = true;
            continue;
          }
          for (const o of r.objects) view.resources.push({ obj: o.obj, application: name, file: o.source ? join(path, o.source) : undefined });
          continue;
        }
        if (!kustomizationFile(abs)) {
          // A plain directory of manifests, as Argo CD reads it.
          for (const f of readdirSync(abs).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()) {
            for (const d of readDocuments(root, join(path, f), findings)) view.resources.push({ obj: d.obj, application: name, file: d.file, line: d.line });
          }
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
        for (const line of b.stderr.split('\n').filter(Boolean)) findings.push(finding('kustomize/warning', `${path}: ${line}`, { ...where, cluster: view.cluster }));
        for (const o of b.objects) view.resources.push({ obj: o.obj, application: name, file: o.file });
      }
    });
    await Promise.all(jobs);
  } finally {
    builder.dispose();
  }

  // 3. Every deployed resource: schema, secrets, duplicates; then mesh rules per cluster.
  const lines = new LineIndex(root);
  const models = await loadBuiltinModels();
  const schemaResults = new Map<string, ReturnType<typeof checkResource> | undefined>();
  const unknownKinds = new Set<string>();
  const sortedViews = [...views.values()].sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
  for (const view of sortedViews) {
    const seen = new Map<string, Deployed>();
    for (const d of view.resources) {
      if (d.file && d.line === undefined) d.line = lines.lineOf(d.file, d.obj);
      const where = { cluster: view.cluster, application: d.application, resource: resourceRef(d.obj), file: d.file, line: d.line };
      const key = `${d.obj.apiVersion?.split('/')[0]}|${refString(resourceRef(d.obj))}`;
      const other = seen.get(key);
      if (other && other.application !== d.application && !view.incomplete) findings.push(finding('resource/duplicate', `also deployed by Application ${other.application}`, where));
      seen.set(key, d);
      findings.push(...secretFindings(d.obj, where));
      // Argo CD's own objects were checked where they are written (apps/, bootstrap/).
      if (String(d.obj.apiVersion).startsWith('argoproj.io/')) continue;
      const text = JSON.stringify(d.obj);
      const hash = createHash('sha1').update(text).digest('hex');
      let problems = schemaResults.get(hash);
      if (!schemaResults.has(hash)) {
        const schema = crds.get(d.obj.apiVersion, d.obj.kind);
        problems = schema ? checkResource(d.obj, schema) : isBuiltin(String(d.obj.apiVersion)) ? checkBuiltin(models, d.obj) : undefined;
        schemaResults.set(hash, problems);
      }
      if (problems === undefined) {
        unknownKinds.add(`${d.obj.apiVersion} ${d.obj.kind}`);
        continue;
      }
      for (const p of problems) findings.push(finding(p.kind === 'unknown-field' ? 'schema/unknown-field' : 'schema/invalid', `${p.path}: ${p.message}`, where));
    }
    // Reference rules on a cluster whose build failed would only echo the failure.
    if (!view.incomplete && argoComplete) findings.push(...clusterRules(view));
  }
  for (const k of [...unknownKinds].sort()) findings.push(finding('schema/unknown-kind', `no schema for ${k}: not checked (pass its CRD with --crds)`));
  if (argoComplete && sortedViews.every((v) => !v.incomplete)) findings.push(...fleetRules(sortedViews));

  const unique = dedupe(findings).sort(compareFindings);
  const count = (s: string) => unique.filter((f) => f.severity === s).length;
  const summary = {
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    applications: apps.length,
    clusters: views.size,
    builds: builder.builds,
    cachedBuilds,
    sharedBuilds: builder.sharedBuilds,
  };
  return { dir: root, ok: summary.errors === 0 && (!opts.strict || summary.warnings === 0), strict: opts.strict, summary, findings: unique };
}

/** The cause from kustomize's error chain, without kubectl's log prefix and the accumulation trail. */
export function kustomizeError(stderr: string): string {
  let msg = stderr.trim().replace(/^E\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err="/, '').replace(/"$/, '');
  const parts = msg.split(/': (?=[A-Za-z])/);
  msg = parts[parts.length - 1]!.replace(/^(accumulating resources|recursed accumulation of path '[^']*'): /g, '');
  return msg.replace(/\\"/g, '"');
}

function defaultCacheDir(root: string): string | undefined {
  return existsSync(join(root, '.git')) && statSync(join(root, '.git')).isDirectory() ? join(root, '.git', 'calisti-gitops', 'build-cache') : undefined;
}

function loadCrds(root: string, extra: string[], cacheDir: string | undefined): CrdRegistry {
  const reg = new CrdRegistry();
  const addPath = (p: string) => {
    if (!existsSync(p)) throw new UsageError(`--crds ${p}: no such file or folder`);
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (/\.(ya?ml|json)$/.test(f)) reg.addFile(join(p, f), cacheDir);
    } else reg.addFile(p, cacheDir);
  };
  addPath(schemasDir);
  const charts = join(root, 'charts');
  if (existsSync(charts)) for (const c of readdirSync(charts).sort()) if (existsSync(join(charts, c, 'crds'))) addPath(join(charts, c, 'crds'));
  for (const p of extra) addPath(resolve(p));
  return reg;
}

function destinationCluster(app: Record<string, any>, clusters: ClusterInfo[]): string | undefined {
  const dest = app.spec?.destination ?? {};
  if (dest.name) return dest.name;
  if (dest.server === 'https://kubernetes.default.svc') return 'in-cluster';
  return clusters.find((c) => c.server === dest.server)?.name ?? dest.server;
}

function ociChartFindings(src: Record<string, any>, where: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  const repo = String(src.repoURL ?? '');
  if (src.chart !== undefined && repo.startsWith('oci://')) out.push(finding('helm/oci-reference', `repoURL "${repo}" with chart: a Helm repository over OCI takes the registry without oci://`, where));
  if (src.chart !== undefined && !/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/i.test(repo.replace(/^oci:\/\//, ''))) out.push(finding('helm/oci-reference', `repoURL "${repo}" is not a registry/path reference`, where));
  if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(String(src.targetRevision ?? ''))) out.push(finding('helm/oci-reference', `targetRevision "${src.targetRevision ?? ''}" is not a literal chart version; bots and upgrade cannot bump a range`, where));
  return out;
}

/** Finds the line of an object inside the file it came from, by kind and name. */
class LineIndex {
  private readonly files = new Map<string, Located<Record<string, any>>[]>();
  constructor(private readonly root: string) {}
  lineOf(file: string, obj: Record<string, any>): number | undefined {
    let docs = this.files.get(file);
    if (!docs) {
      try {
        docs = readDocuments(this.root, file, []);
      } catch {
        // A Helm template or a file that is gone: no line to point at.
        docs = [];
      }
      this.files.set(file, docs);
    }
    const match = docs.find((d) => d.obj.kind === obj.kind && d.obj.metadata?.name === obj.metadata?.name) ?? (docs.length === 1 ? docs[0] : undefined);
    return match?.line;
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = JSON.stringify(f);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function compareFindings(a: Finding, b: Finding): number {
  const key = (f: Finding) => [f.cluster ?? '', f.file ?? '', String(f.line ?? 0).padStart(8, '0'), SEVERITY_ORDER[f.severity], f.rule, f.application ?? '', f.message].join('\0');
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export { RULES };
