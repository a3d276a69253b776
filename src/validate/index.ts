/**
 * runValidate: a calisti-gitops repo checked the way Argo CD, Kustomize and the clusters will see it.
 * Stages: read Argo CD objects -> expand ApplicationSets -> build each Application's source ->
 * schema-check every resource -> mesh rules per cluster -> fleet rules.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { findKustomize } from '../kustomize/build.js';
import { defaultCacheDir } from './memo.js';
import { deployments, destinationCluster, engineContext, expandApplications } from './deploy.js';
import { pruneBuildCache } from './builds.js';
import { cachedSchemas, schemaHint } from './catalogue.js';
import { fleetFacts, inShard, mergeShards, type FleetFacts, type Shard, type ShardReport } from './shard.js';
import { schemasDir } from '../toolkit.js';
import { checkBuiltin, isBuiltin, loadBuiltinModels } from './builtin.js';
import { CrdRegistry } from './crds.js';
import { finding, refString, resourceRef, RULES, type Finding } from './findings.js';
import { clusterRules, fleetRules, type Deployed } from './mesh.js';
import { plaintextSecrets } from '../secrets/leak.js';
import { BOOTSTRAP_DIR, MODEL_FILE, SEALED_FILE, STATE_FILE } from '../render/layout.js';
import { crdOrderFindings } from './rules/crd-order.js';
import { driftFindings, renderOf } from './rules/drift.js';
import type { RenderedTree } from '../render/index.js';
import { gitView, knownFiles } from '../repo/clean.js';
import { networkChangeFindings } from './rules/network-change.js';
import { baseFleet, baseModel, upgradePathFindings } from './rules/upgrade-path.js';
import { renovateFindings } from './rules/renovate.js';
import { rollingSyncFindings } from './rules/rolling-sync.js';
import { versionFindings } from './rules/versions.js';
import { helmCredentialFindings, secretFindings } from './secrets.js';
import { reachableArgoObjects, readDocuments, readModel, sourceRootOf, type Located } from './sources.js';
import { checkResource } from './structural.js';
import { meta, metaName, type KubeObject } from './objects.js';
import { PatchLocator } from './patches.js';

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
  /** Build kustomizations that name remote resources (kustomize fetches them). Off: reported instead. */
  allowRemote?: boolean;
  /** The git ref the upgrade rules compare the model with (default: see upgrade/path). */
  base?: string;
  /**
   * Where Argo CD starts applying (a kustomization, folder or Application file, repo-relative): only what
   * it reaches is validated. Default: bootstrap/. With it, any Argo CD repo validates, calisti.yaml or not.
   */
  root?: string;
  /** Validate only the clusters of this shard (see shard.ts); the report then carries what --merge needs. */
  shard?: Shard;
  /** Called as the run advances (the CLI draws it on a terminal). */
  onProgress?: (phase: string, done?: number, total?: number) => void;
}

export interface ValidateReport {
  dir: string;
  ok: boolean;
  strict: boolean;
  summary: {
    errors: number;
    warnings: number;
    infos: number;
    applications: number;
    clusters: number;
    builds: number;
    cachedBuilds: number;
    sharedBuilds: number;
    /** Nothing changed since the last run, whose report this is (see memo.ts). */
    reused?: boolean;
  };
  findings: Finding[];
  /** Set by --shard: which shard, and the resources fleet-wide rules need at merge time. */
  shard?: Shard;
  fleet?: FleetFacts;
}

/** A turn of the event loop: builds that finished meanwhile start the next ones. */
const yieldToBuilds = () => new Promise<void>((r) => setImmediate(r));

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Reports holding a build that failed for this machine's reasons (memory cap, time limit): never remembered. */
export const unrepeatable = new WeakSet<ValidateReport>();

export async function runValidate(opts: ValidateOptions): Promise<ValidateReport> {
  const root = resolve(opts.dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${opts.dir} is not a folder`);
  // A gate that checks nothing must not pass: a wrong -C is an error, not "0 applications".
  if (!opts.root && !existsSync(join(root, MODEL_FILE)))
    throw new UsageError(
      `${root} is not a calisti-gitops repo (no ${MODEL_FILE})`,
      'pass the repo with -C <repo>; create one with calisti-gitops init <dir> --example multi-cluster; or validate any Argo CD repo from where Argo CD starts: calisti-gitops validate --root <kustomization-or-application-file>',
    );
  // What git knows of the tree, asked now and used by the drift check at the end (not a repo: none).
  const view = gitView(root).catch(() => undefined);
  const tool = findKustomize();
  const findings: Finding[] = [];
  const { fleet, text: modelText, clusters } = readModel(root, findings, opts.cacheDir !== null);
  const argo = reachableArgoObjects(root, opts.root ?? BOOTSTRAP_DIR, fleet, findings);
  const cacheDir = opts.cacheDir === null ? undefined : (opts.cacheDir ?? defaultCacheDir(root));
  // An Argo CD file that does not parse hides Applications: cross-resource rules would only guess.
  const argoComplete = !findings.some((f) => f.rule === 'yaml/invalid');

  // 1. Argo CD objects, with ApplicationSets expanded. What they deploy is built from here on: the
  // kustomize processes run while this one checks the Argo CD objects (their findings keep their order).
  const ctx = engineContext(root, argo, fleet);
  const expansion: Finding[] = [];
  const allApps = expandApplications(argo, ctx, expansion);
  // A shard builds whole clusters: every Application of a cluster lands in the same shard.
  const apps = opts.shard ? allApps.filter((a) => inShard(destinationCluster(a.obj, ctx.clusters) ?? String(meta(a.obj).name), opts.shard!)) : allApps;
  const repoWide = !opts.shard || opts.shard.index === 1;

  // 2. Build what each Application deploys, grouped by destination cluster.
  opts.onProgress?.('building');
  // A tree in a folder of its repository (git.path): Argo CD's source paths start at the repository's root.
  const sourceRoot = sourceRootOf(root, fleet);
  const gitKnows = await view;
  const building = deployments({
    known: gitKnows && knownFiles(gitKnows, root, sourceRoot),
    root: sourceRoot,
    apps,
    clusters,
    fleet,
    tool,
    cacheDir,
    parallel: opts.parallel,
    shareShapes: opts.shareShapes,
    allowRemote: opts.allowRemote,
    onProgress: opts.onProgress,
  });
  // Awaited below; a failure of the checks in between must not leave its rejection unhandled.
  building.catch(() => undefined);

  const catalogue = cachedSchemas(fleet);
  const crds = loadCrds(root, [...catalogue.files, ...opts.crds], cacheDir);
  const hasArgoCrds = crds.get('argoproj.io/v1alpha1', 'Application') !== undefined;
  // Without Argo CD's CRDs, its kinds are checked by @kubernetes-models/argo-cd (no unknown-field check).
  const argoModels = hasArgoCrds ? undefined : await import('./argo-models.js');
  if (!hasArgoCrds)
    findings.push(
      finding(
        'argocd/schema-unavailable',
        "Argo CD CRDs not given: Applications, ApplicationSets and AppProjects were checked against @kubernetes-models/argo-cd's schemas (types, required fields), not for unknown fields (pass --crds <argo-cd>/manifests/crds)",
      ),
    );
  const schemaCheck = (d: Located<KubeObject>) => {
    const schema = crds.get(String(d.obj.apiVersion), String(d.obj.kind));
    if (!schema) {
      for (const p of argoModels?.argoModelProblems(d.obj) ?? []) {
        findings.push(finding('argocd/schema', p, { application: metaName(d.obj), resource: resourceRef(d.obj), file: d.file, line: d.line }));
      }
      return;
    }
    for (const p of checkResource(d.obj, schema)) {
      findings.push(
        finding('argocd/schema', `${p.path}: ${p.message}`, { application: metaName(d.obj), resource: resourceRef(d.obj), file: d.file, line: d.line }),
      );
    }
  };
  for (const d of [...argo.applicationSets, ...argo.projects]) schemaCheck(d);
  findings.push(...expansion);
  const names = new Map<string, Located<KubeObject>>();
  for (const [i, a] of allApps.entries()) {
    // Now and then, let finished builds hand their slot to the next.
    if (i % 250 === 249) await yieldToBuilds();
    const name = String(meta(a.obj).name ?? '');
    const where = { application: name, file: a.file, line: a.line };
    schemaCheck(a);
    if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) findings.push(finding('app/invalid-name', `"${name}" is not a DNS-1123 subdomain`, where));
    // Argo CD tracks resources by a label holding the Application name: at most 63 characters.
    else if (name.length > 63)
      findings.push(finding('app/name-too-long', `"${name}" has ${name.length} characters; Argo CD's tracking label takes at most 63`, where));
    const ns = meta(a.obj).namespace ?? '';
    const prev = names.get(`${ns}/${name}`);
    if (prev) findings.push(finding('app/duplicate-name', `Application ${name} is also defined in ${prev.file}:${prev.line}`, where));
    else names.set(`${ns}/${name}`, a);
    findings.push(...helmCredentialFindings(a.obj, where));
  }
  findings.push(...rollingSyncFindings(argo.applicationSets, allApps));
  for (const d of argo.others) findings.push(...secretFindings(d.obj, { file: d.file, line: d.line }));
  // What the model generates, and how the repo drifts from it, needs no build: found meanwhile.
  const rendererOwn = new Set<string>();
  let rendered: RenderedTree | undefined;
  let drift: Finding[] = [];
  if (fleet && repoWide) {
    await yieldToBuilds();
    rendered = renderOf(root, fleet);
    await yieldToBuilds();
    drift = driftFindings(root, rendered, rendererOwn, gitKnows);
  }
  const deployed = await building;
  // A run over the whole repo knows what one tree needs: the rest of the cache may go (not so a shard or --root).
  if (cacheDir && !opts.shard && opts.root === undefined) pruneBuildCache(cacheDir, new Set(deployed.cacheKeys));
  opts.onProgress?.('checking');
  findings.push(...deployed.findings);
  const views = deployed.views;

  // 3. Every deployed resource: schema, secrets, duplicates; then mesh rules per cluster.
  const lines = new LineIndex(root);
  const patches = new PatchLocator(root);
  const models = await loadBuiltinModels();
  const schemaResults = new Map<string, ReturnType<typeof checkResource> | undefined>();
  const checkedObjects = new WeakMap<object, ReturnType<typeof checkResource> | undefined>();
  const unknownKinds = new Set<string>();
  const sortedViews = [...views.values()].sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
  for (const view of sortedViews) {
    const seen = new Map<string, Deployed>();
    for (const d of view.resources) {
      if (d.file && d.line === undefined) d.line = lines.lineOf(d.file, d.obj);
      const where = { cluster: view.cluster, application: d.application, resource: resourceRef(d.obj), file: d.file, line: d.line };
      const key = `${String(d.obj.apiVersion).split('/')[0]}|${refString(resourceRef(d.obj))}`;
      const other = seen.get(key);
      if (other && other.application !== d.application && !view.incomplete)
        findings.push(finding('resource/duplicate', `also deployed by Application ${other.application}`, where));
      seen.set(key, d);
      findings.push(...secretFindings(d.obj, where));
      // Argo CD's own objects were checked where they are written (apps/, bootstrap/).
      if (String(d.obj.apiVersion).startsWith('argoproj.io/')) continue;
      // Shared (frozen) objects are checked once by identity; equal ones once by content.
      let problems = checkedObjects.get(d.obj);
      if (!checkedObjects.has(d.obj)) {
        const hash = createHash('sha1').update(JSON.stringify(d.obj)).digest('hex');
        problems = schemaResults.get(hash);
        if (!schemaResults.has(hash)) {
          const schema = crds.get(String(d.obj.apiVersion), String(d.obj.kind));
          problems = schema ? checkResource(d.obj, schema) : isBuiltin(String(d.obj.apiVersion)) ? checkBuiltin(models, d.obj) : undefined;
          schemaResults.set(hash, problems);
        }
        checkedObjects.set(d.obj, problems);
      }
      if (problems === undefined) {
        unknownKinds.add(`${d.obj.apiVersion} ${d.obj.kind}`);
        continue;
      }
      for (const p of problems) {
        // Point at the overlay patch that wrote the field, when one did.
        const at = d.source ? patches.locate(d.source, d.obj, p.path) : undefined;
        findings.push(finding(p.kind === 'unknown-field' ? 'schema/unknown-field' : 'schema/invalid', `${p.path}: ${p.message}`, { ...where, ...(at ?? {}) }));
      }
    }
    // Reference rules on a cluster whose build failed would only echo the failure.
    if (!view.incomplete && argoComplete) findings.push(...clusterRules(view));
  }
  if (argoComplete)
    findings.push(
      ...crdOrderFindings({ apps, appSets: argo.applicationSets, views: sortedViews, clusterOf: (a) => destinationCluster(a, ctx.clusters), fleet }),
    );
  // The repo's invariants, whatever wrote it: drift from the model, versions, the upgrade path.
  if (fleet && modelText !== undefined && rendered) {
    findings.push(...drift);
    findings.push(...versionFindings(fleet, rendered, apps, sortedViews));
    findings.push(...renovateFindings(root, fleet));
    const base = await baseModel(root, modelText, opts.base);
    if (base) {
      findings.push(...upgradePathFindings(base, fleet, { text: modelText, drifted: drift.length > 0 }));
      const before = baseFleet(base);
      if (before) findings.push(...networkChangeFindings(base.ref, before, fleet));
    } else if (opts.base)
      throw new UsageError(`--base ${opts.base}: no ${MODEL_FILE} at that ref`, 'name a commit or branch that has the model, e.g. --base origin/main');
  }
  // Files no build reaches can still leak: every YAML and JSON file of the repo, read as data, but
  // for those holding exactly what the renderer writes (trusted as generate trusts them).
  const reported = new Set(findings.filter((f) => f.rule === 'secret/plaintext').map((f) => f.file));
  for (const leak of repoWide ? plaintextSecrets(root, undefined, rendererOwn, new Set([STATE_FILE, SEALED_FILE])) : []) {
    const file = leak.slice(0, leak.indexOf(' ('));
    // A file too large to check that validate already reports (not read) needs no second finding.
    const unchecked = leak.endsWith('cannot be checked)');
    if (unchecked && findings.some((f) => f.file === file)) continue;
    if (!reported.has(file))
      findings.push(
        finding(
          'secret/plaintext',
          unchecked
            ? `${leak.slice(file.length + 2, -1)}; it may hold credentials in clear`
            : `credentials in clear: ${leak.slice(file.length + 1)}; seal them (calisti-gitops seal) or keep them out of git`,
          { file },
        ),
      );
  }
  for (const k of [...unknownKinds].sort())
    findings.push(finding('schema/unknown-kind', `no schema for ${k}: not checked (${schemaHint(k, catalogue.missing)})`));
  if (opts.shard) {
    // Per-cluster version checks ran above for this shard's clusters; fleet rules wait for --merge.
    if (fleet && !repoWide) findings.push(...versionFindings(fleet, renderOf(root, fleet), [], sortedViews));
  } else if (argoComplete && sortedViews.every((v) => !v.incomplete)) findings.push(...fleetRules(sortedViews));

  const unique = dedupe(findings).sort(compareFindings);
  const count = (s: string) => unique.filter((f) => f.severity === s).length;
  const summary = {
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    applications: apps.length,
    clusters: views.size,
    builds: deployed.builds,
    cachedBuilds: deployed.cachedBuilds,
    sharedBuilds: deployed.sharedBuilds,
  };
  const report: ValidateReport = {
    dir: root,
    ok: summary.errors === 0 && (!opts.strict || summary.warnings === 0),
    strict: opts.strict,
    summary,
    findings: unique,
  };
  const out = opts.shard ? { ...report, shard: opts.shard, fleet: fleetFacts(sortedViews, argoComplete) } : report;
  if (deployed.machineFailures > 0) unrepeatable.add(out);
  return out;
}

/** `validate --merge`: the report one run over the whole repo gives, from every shard's JSON. */
export function mergeValidateReports(dir: string, inputs: { file: string; report: ShardReport }[]): ValidateReport {
  const merged = mergeShards(inputs);
  const unique = dedupe(merged.findings).sort(compareFindings);
  const count = (s: string) => unique.filter((f) => f.severity === s).length;
  const summary = { errors: count('error'), warnings: count('warning'), infos: count('info'), ...merged.summary };
  return { dir, ok: summary.errors === 0 && (!merged.strict || summary.warnings === 0), strict: merged.strict, summary, findings: unique };
}

/** CRDs for a repo: this project's schemas, each vendored chart's crds folder, and the extra paths. */
export function loadCrds(root: string, extra: string[], cacheDir: string | undefined): CrdRegistry {
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

/** Finds the line of an object inside the file it came from, by kind and name. */
class LineIndex {
  private readonly files = new Map<string, Located<KubeObject>[]>();
  constructor(private readonly root: string) {}
  lineOf(file: string, obj: KubeObject): number | undefined {
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
    const match = docs.find((d) => d.obj.kind === obj.kind && meta(d.obj).name === meta(obj).name) ?? (docs.length === 1 ? docs[0] : undefined);
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
  const key = (f: Finding) =>
    [f.cluster ?? '', f.file ?? '', String(f.line ?? 0).padStart(8, '0'), SEVERITY_ORDER[f.severity], f.rule, f.application ?? '', f.message].join('\0');
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export { RULES };
