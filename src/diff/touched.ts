/**
 * What the clusters a change touches receive, before and after: Applications are expanded on both
 * sides, but only those deploying to a touched cluster are built, the current ones in the working
 * tree, the proposed ones in a scratch folder holding only what they read. A cluster is touched when
 * an Application of it reads a changed file, appears, disappears or changes, or when its entry in
 * the model changes; every other cluster receives the same before and after, so leaving it out
 * changes neither the per-cluster diff nor the picture of clusters that change shape.
 *
 * The current side needs nothing the render gives: it is expanded, and the clusters whose entry in
 * the model changes (touched whatever the render writes) start building, before the render
 * (startCurrentSide); kustomize's processes then run beside it.
 */
import { posix } from 'node:path';
import type { Cluster } from '../argocd/engine.js';
import { normalizeGitURL } from '../argocd/repo-url.js';
import type { KustomizeTool } from '../kustomize/build.js';
import type { Fleet } from '../model/schema.js';
import { APPS_DIR, BOOTSTRAP_DIR } from '../render/layout.js';
import { Builder } from '../validate/builds.js';
import { deployments, destinationCluster, engineContext, expandApplications, type App, type Deployments } from '../validate/deploy.js';
import { MISSING, TreeReader, treePath } from '../validate/inputs.js';
import { type GitView, knownFiles } from '../repo/clean.js';
import type { ClusterView } from '../validate/mesh.js';
import { asMap, meta, writtenSources } from '../validate/objects.js';
import { clusterInfo, reachableArgoObjects, sourceRootOf, type ArgoObjects } from '../validate/sources.js';
import { KUSTOMIZATION_NAMES, type ProposedTree } from './proposed.js';
import { pushTo } from '../objects.js';

export interface Side {
  views: Map<string, ClusterView>;
  builds: number;
  apps: Set<string>;
  clusters: Cluster[];
}

export interface TouchedOptions {
  /** The working tree (the repo as it is), and both models, as given to startCurrentSide. */
  current: CurrentSide;
  /** Tree paths generate writes or deletes. */
  changed: string[];
  proposed: ProposedTree;
  /** What git knows of the working tree (paths relative to root): clean files are not read. */
  view?: GitView;
}

const CHART = 'Chart.yaml';
/** The files that decide what kind of source a folder is. */
const DECIDING = [CHART, ...KUSTOMIZATION_NAMES];

/** Whether any changed source-root-relative path is `p`, lies under it, or is a file it decides on. */
function hits(changed: Set<string>, under: string[], p: string): boolean {
  if (changed.has(p)) return true;
  const prefix = p === '.' || p === '' ? '' : `${p}/`;
  return prefix === '' ? under.length > 0 : under.some((c) => c.startsWith(prefix));
}

/** Whether one of `names` in the folder `dir` is a changed path. */
const changedIn = (changed: Set<string>, dir: string, names: readonly string[]) => names.some((n) => changed.has(dir === '.' ? n : `${dir}/${n}`));

/** What something reads, as far as a change could alter it. */
interface Reads {
  /** Source-root-relative files. */
  exact: string[];
  /** Folders anything under which counts (a file there may appear). */
  folders: string[];
}

/** What a local source (source-root-relative) reads: a kustomization's inputs, else its whole folder; undefined: unknown. */
function sourceReads(reader: TreeReader, path: string): Reads | undefined {
  const folder = treePath(path);
  const deciding = DECIDING.map((f) => posix.join(folder, f));
  // Most sources are kustomizations: their inputs first, the other kinds only when there are none.
  const inputs = reader.inputs(path);
  if (inputs === undefined && reader.kustomizationFile(path)) return undefined;
  if (inputs === undefined || reader.exists(posix.join(path, CHART))) return { exact: deciding, folders: [folder] };
  const exact = new Set(deciding);
  const folders: string[] = [];
  for (const f of inputs) {
    if (f.endsWith(MISSING)) folders.push(f.slice(0, -MISSING.length));
    else {
      exact.add(f);
      // A kustomization's folder may gain a second kustomization file, which kustomize refuses.
      if (KUSTOMIZATION_NAMES.includes(posix.basename(f))) for (const k of KUSTOMIZATION_NAMES) exact.add(posix.join(posix.dirname(f), k));
    }
  }
  return { exact: [...exact], folders };
}

/**
 * Whether a local source reads a changed file: sourceReads's answer without building it. A chart
 * folder reads everything under it, a kustomization its inputs (`readsChanged`, asked of each folder
 * once); the disk is asked whether the folder holds a chart only when those two answers differ (for
 * most sources neither reads a changed file).
 */
function sourceHit(reader: TreeReader, path: string, changed: Set<string>, hits: (folder: string) => boolean, readsChanged: (dir: string) => boolean): boolean {
  const folder = treePath(path);
  const whole = hits(folder);
  if (!reader.kustomizationFile(path)) return whole;
  const read = changedIn(changed, folder, DECIDING) || readsChanged(path);
  if (read === whole || !reader.exists(posix.join(path, CHART))) return read;
  // A chart beside a kustomization: Argo CD renders the chart, unless the kustomization's inputs
  // cannot be known (then it is built whatever it is).
  return read && reader.inputs(path) === undefined ? true : whole;
}

/** Sources in this repository with a path, as deploy builds them. */
function localSources(app: App, repoURL: string): Record<string, unknown>[] {
  const repo = normalizeGitURL(repoURL);
  // Read as written: the three fields are kept as they are by the schema, which the helm block would need.
  return writtenSources(app.obj).filter(
    (s) =>
      s.chart === undefined &&
      typeof s.path === 'string' &&
      !(typeof s.repoURL === 'string' && s.repoURL.startsWith('oci://')) &&
      (s.repoURL === repoURL || normalizeGitURL(String(s.repoURL ?? '')) === repo),
  );
}

/**
 * Files that decide which Argo CD objects a tree holds: bootstrap/ and apps/ whole, what the bootstrap
 * kustomization reads, and what plain Applications point at (the reachability walk follows those).
 */
function argoReads(reader: TreeReader, argo: ArgoObjects, repoURL: string, toSource: (p: string) => string): Reads | undefined {
  const exact: string[] = [];
  const folders = [toSource(BOOTSTRAP_DIR), toSource(APPS_DIR)];
  for (const d of [...argo.applications, ...argo.applicationSets, ...argo.projects, ...argo.others]) exact.push(toSource(d.file));
  const boot = sourceReads(reader, toSource(BOOTSTRAP_DIR));
  if (!boot) return undefined;
  exact.push(...boot.exact);
  folders.push(...boot.folders);
  for (const a of argo.applications)
    for (const s of localSources(a, repoURL)) {
      // A plain folder of manifests may be recursed: all of it.
      const r = sourceReads(reader, String(s.path));
      if (!r) return undefined;
      exact.push(...r.exact);
      folders.push(...r.folders, String(s.path));
    }
  return { exact, folders };
}

/** ApplicationSets that read the clusters' labels or annotations (a clusters generator, anywhere in them). */
const readsClusterMeta = (argo: ArgoObjects) =>
  argo.applicationSets.some((d) => /"clusters"|"clusterDecisionResource"/.test(JSON.stringify(asMap(d.obj.spec).generators ?? [])));

const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The current side: what the working tree deploys, and the builds already under way. */
export interface CurrentSide {
  root: string;
  before: Fleet;
  after: Fleet;
  tool: KustomizeTool;
  cacheDir: string | undefined;
  clustersA: Cluster[];
  clustersB: Cluster[];
  argoA: ArgoObjects;
  appsA: App[];
  destA: (a: App) => string;
  /** Clusters whose entry in the model changes (name, server, labels), and their current builds. */
  early: { clusters: Set<string>; built: Promise<Deployments> };
  /** The current side's builder, shared by the early builds and the rest: each path built once. */
  builder?: Builder;
}

export interface SideInputs {
  root: string;
  before: Fleet;
  after: Fleet;
  tool: KustomizeTool;
  cacheDir: string | undefined;
}

/**
 * Expands the working tree's Applications. With `early`, also starts building those of the clusters
 * whose entry in the model changes (they are touched whatever the render writes); the signal stops
 * them when the diff turns out to need none. Call `settle` on the result before the command ends.
 */
export function startCurrentSide(o: SideInputs, early?: AbortSignal): CurrentSide {
  const { root, before, after } = o;
  const clustersA = before.clusters.map(clusterInfo);
  const clustersB = after.clusters.map(clusterInfo);
  const argoA = reachableArgoObjects(root, BOOTSTRAP_DIR, before, []);
  const appsA = expandApplications(argoA, engineContext(root, argoA, before));
  const destA = destinations(clustersA);
  const clusters = early ? modelTouched(clustersA, clustersB) : new Set<string>();
  const apps = appsA.filter((a) => clusters.has(destA(a)));
  const srcA = sourceRootOf(root, before);
  const builder = early ? new Builder(srcA, o.tool, o.cacheDir, { signal: early }) : undefined;
  const built = apps.length
    ? deployments({ root: srcA, apps, clusters: clustersA, fleet: before, tool: o.tool, cacheDir: o.cacheDir, builder })
    : Promise.resolve({ views: new Map(), findings: [], builds: 0, cachedBuilds: 0, sharedBuilds: 0, cacheKeys: [], machineFailures: 0 });
  // Awaited by touchedDeployments or settle; a failure is reported there, not as an unhandled rejection.
  built.catch(() => undefined);
  return { ...o, clustersA, clustersB, argoA, appsA, destA, early: { clusters, built }, builder };
}

/** Whether some cluster's entry Argo CD reads (name, server, labels) differs between the models. */
export const changesClusters = (before: Fleet, after: Fleet) => modelTouched(before.clusters.map(clusterInfo), after.clusters.map(clusterInfo)).size > 0;

/** Waits until the early builds have ended (finished, failed or stopped), then disposes the builder. */
export async function settle(side: CurrentSide): Promise<void> {
  await side.early.built.catch(() => undefined);
  side.builder?.dispose();
}

/** Clusters (by their name in the model) whose entry Argo CD reads differs: name, server, labels. */
function modelTouched(clustersA: Cluster[], clustersB: Cluster[]): Set<string> {
  const infoA = new Map(clustersA.map((c) => [c.fleetName ?? c.name, JSON.stringify(c)]));
  const infoB = new Map(clustersB.map((c) => [c.fleetName ?? c.name, JSON.stringify(c)]));
  const out = new Set<string>();
  for (const n of new Set([...infoA.keys(), ...infoB.keys()])) if (infoA.get(n) !== infoB.get(n)) out.add(n);
  return out;
}

export async function touchedDeployments(o: TouchedOptions): Promise<{ before: Side; after: Side }> {
  const { proposed } = o;
  const { root, before, after, clustersA, clustersB, argoA, appsA, destA, early } = o.current;
  const repoURL = before.git.repoURL;
  const srcA = sourceRootOf(root, before);
  const folder = after.git.path;
  const toSource = (p: string) => (folder ? posix.join(folder, p) : p);
  const changed = new Set(o.changed.map(toSource));
  const under = [...changed];
  const hitFolder = (f: string) => hits(changed, under, f);
  const hit = (r: Reads | undefined) => !r || r.exact.some((p) => changed.has(p)) || r.folders.some(hitFolder);
  const reader = new TreeReader(srcA, o.view && knownFiles(o.view, root, srcA));

  // The proposed Argo CD objects: the current ones when nothing they are read from changes.
  const argoChanged = before.git.repoURL !== after.git.repoURL || before.git.path !== after.git.path || hit(argoReads(reader, argoA, repoURL, toSource));
  let argoB = argoA;
  if (argoChanged) {
    proposed.addWholeFolder(toSource(BOOTSTRAP_DIR));
    proposed.addWholeFolder(toSource(APPS_DIR));
    for (let more = true; more; ) {
      argoB = reachableArgoObjects(proposed.tree, BOOTSTRAP_DIR, after, []);
      // The walk follows plain Applications: what they point at, then walk again.
      more = argoB.applications.flatMap((a) => localSources(a, after.git.repoURL)).some((s) => proposed.addSource(String(s.path), true));
    }
  }
  // Cluster generators see labels; every ApplicationSet sees the clusters' names and servers.
  const sameClusters = sameJSON(clustersA, clustersB) || (!readsClusterMeta(argoB) && sameJSON(clustersA.map(nameServer), clustersB.map(nameServer)));
  const appsB = !argoChanged && sameClusters ? appsA : expandApplications(argoB, engineContext(proposed.tree, argoB, after));

  // Touched clusters: an Application that differs, moves or reads a changed file; a model entry that changes.
  const destB = destinations(clustersB);
  const namedA = byName(appsA);
  const namedB = byName(appsB);
  const reads = new Map<string, boolean>();
  // An input reads the change when it changed, or, missing, something appeared where it is; a
  // kustomization's folder may gain a second kustomization file, which kustomize refuses.
  const changedInput = (f: string, missing: boolean) =>
    missing ? hitFolder(f) : changed.has(f) || (KUSTOMIZATION_NAMES.includes(posix.basename(f)) && changedIn(changed, posix.dirname(f), KUSTOMIZATION_NAMES));
  const seen = new Map<string, boolean>();
  const readsChanged = (dir: string) => reader.anyInput(dir, changedInput, seen);
  const readsChange = (a: App) =>
    localSources(a, repoURL).some((s) => {
      const path = String(s.path);
      let hit = reads.get(path);
      if (hit === undefined) reads.set(path, (hit = sourceHit(reader, path, changed, hitFolder, readsChanged)));
      return hit;
    });
  const touched = new Set<string>();
  for (const name of new Set([...namedA.keys(), ...namedB.keys()])) {
    const la = namedA.get(name) ?? [];
    const lb = namedB.get(name) ?? [];
    const same = la.length === lb.length && la.every((a, i) => (a.obj === lb[i]!.obj || sameJSON(a.obj, lb[i]!.obj)) && destA(a) === destB(lb[i]!));
    if (same && !la.some(readsChange)) continue;
    for (const a of la) touched.add(destA(a));
    for (const b of lb) touched.add(destB(b));
  }
  for (const n of early.clusters) touched.add(n);

  // The current side's builds not started early: touched only through what the render writes.
  const buildA = appsA.filter((a) => touched.has(destA(a)) && !early.clusters.has(destA(a)));
  const buildB = appsB.filter((a) => touched.has(destB(a)));
  for (const a of buildB) for (const s of localSources(a, after.git.repoURL)) proposed.addSource(String(s.path));

  const { tool, cacheDir } = o.current;
  const started = await early.built;
  const late = buildA.length
    ? await deployments({ root: srcA, apps: buildA, clusters: clustersA, fleet: before, tool, cacheDir, builder: o.current.builder })
    : undefined;
  // Each cluster's Applications are built by one of the two: their views do not overlap.
  const a = { views: new Map([...started.views, ...(late?.views ?? [])]), builds: started.builds + (late?.builds ?? 0) };
  const b = await deployments({ root: proposed.sourceRoot, apps: buildB, clusters: clustersB, fleet: after, tool, cacheDir });
  const names = (apps: App[]) => new Set(apps.map((x) => String(meta(x.obj).name ?? '')));
  return {
    before: { views: a.views, builds: a.builds, apps: names(appsA), clusters: clustersA },
    after: { views: b.views, builds: b.builds, apps: names(appsB), clusters: clustersB },
  };
}

/** Each Application's view key, looked up once (a lookup scans the fleet's clusters). */
function destinations(clusters: Cluster[]): (a: App) => string {
  const memo = new Map<App, string>();
  return (a) => {
    let d = memo.get(a);
    if (d === undefined) memo.set(a, (d = destinationCluster(a.obj, clusters) ?? '(unknown)'));
    return d;
  };
}

const nameServer = (c: Cluster) => ({ name: c.name, server: c.server, fleetName: c.fleetName });

function byName(apps: App[]): Map<string, App[]> {
  const m = new Map<string, App[]>();
  for (const a of apps) {
    pushTo(m, String(meta(a.obj).name ?? ''), a);
  }
  return m;
}
