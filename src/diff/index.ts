/**
 * runDiff: what `generate` would change, as file diffs and, per cluster, as resources added,
 * removed and changed (field paths), from kustomize builds of the clusters the change touches,
 * before and after (touched.ts). Secret values are never printed. Builds share the validate cache.
 */
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { findKustomize, type KustomizeTool } from '../kustomize/build.js';
import { readModelText } from '../model/load.js';
import type { Fleet } from '../model/schema.js';
import { renderRepo } from '../render/index.js';
import { MODEL_FILE, SEALED_FILE, STATE_FILE } from '../render/layout.js';
import { SealedStore } from '../secrets/store.js';
import { RepoFs } from '../repo/fs.js';
import { mergeBases } from '../repo/generate.js';
import { committedFile, isRepoRoot } from '../repo/git.js';
import { buildCacheDir } from '../repo/lock.js';
import { basesNeeded, planGenerate, renderedIds, type Plan } from '../repo/plan.js';
import { parseState } from '../repo/state.js';
import { currentIds, gitView, type GitView } from '../repo/clean.js';
import { modelCacheDir, rememberedFleet } from '../repo/remembered-model.js';
import { fleetGraph, type FleetGraph } from '../graph/model.js';
import { destructiveInPlan, type Destructive } from './destructive.js';
import { unifiedDiff } from './files.js';
import { keptHandEdits, type HandEdit } from './hand-edits.js';
import { ProposedTree } from './proposed.js';
import { diffClusters, type ClusterDiff } from './resources.js';
import { changesClusters, settle, startCurrentSide, touchedDeployments, type CurrentSide } from './touched.js';

export interface FileChange {
  path: string;
  action: 'create' | 'update' | 'delete';
  diff: string;
  /** Edited by hand in a way generate refuses to merge: the diff is what --force would do. */
  conflict?: boolean;
}

export interface DiffReport {
  changed: boolean;
  files: FileChange[];
  clusters: Record<string, ClusterDiff>;
  /** Files generate would refuse to overwrite (hand edits); the diff shows them as if forced. */
  conflicts: string[];
  /** What Argo CD would delete on the clusters because of this change. */
  destructive: Destructive[];
  /** Hand edits generate keeps (file, resource, field): as edited, or merged with the new render. */
  handEdits: HandEdit[];
  /** Applications Argo CD creates after the change and not before, and the reverse (ApplicationSets expanded). */
  applications: { added: string[]; removed: string[] };
  builds: number;
  /** The fleet's mesh shape before and after, for the markdown picture (not part of the JSON). */
  graphs?: { before: FleetGraph; after: FleetGraph };
}

export interface DiffOptions {
  dir: string;
  modelPath?: string;
  /** The model text to compare against (upgrade passes its edited model). */
  modelText?: string;
  cacheDir?: string | null;
}

export async function runDiff(opts: DiffOptions): Promise<DiffReport> {
  const root = resolve(opts.dir);
  if (!(await isRepoRoot(root))) throw new UserError(`${root} is not the root of a git repository`);
  const fs = new RepoFs(root);
  // Git's view and the committed model, asked while the models are parsed and rendered.
  const viewing = gitView(root);
  viewing.catch(() => undefined);
  const committed = committedFile(root, MODEL_FILE);
  committed.catch(() => undefined);
  const modelText = opts.modelText ?? readModelText(opts.modelPath ? resolve(opts.modelPath) : join(root, MODEL_FILE), opts.modelPath ?? MODEL_FILE);
  const models = opts.cacheDir === null ? undefined : modelCacheDir(root);
  const after = rememberedFleet(modelText, opts.modelPath ?? MODEL_FILE, models);
  // The repo's files were generated from the committed model (the working copy may already hold the edit).
  let before: Fleet = after;
  for (const text of [await committed, fs.read(MODEL_FILE)]) {
    if (text === undefined) continue;
    try {
      before = text === modelText ? after : rememberedFleet(text, MODEL_FILE, models);
      break;
    } catch {
      // An invalid model: try the next, else compare with the new model's clusters.
    }
  }
  const cacheDir = opts.cacheDir === null ? undefined : (opts.cacheDir ?? buildCacheDir(root));
  // When the models differ in some cluster's entry, that cluster's current builds run beside the
  // render (see touched.ts), and are stopped if the diff needs none.
  const tool = kustomizeIfAny();
  const stop = new AbortController();
  let current: CurrentSide | undefined;
  if (tool && changesClusters(before, after)) {
    try {
      current = startCurrentSide({ root, before, after, tool, cacheDir }, stop.signal);
      // The builds reach their spawn through promises only: one turn of the loop starts them,
      // before the render holds the thread.
      await new Promise((go) => setImmediate(go));
    } catch {
      // Expanded again where diff needs it, which reports what failed in its own order.
      current = undefined;
    }
  }
  try {
    return await compare({ root, fs, modelText, before, after, viewing, cacheDir, current });
  } finally {
    // Builds the diff used are done by now; the rest are stopped, never cached, and waited for.
    stop.abort();
    if (current) await settle(current);
  }
}

interface Inputs {
  root: string;
  fs: RepoFs;
  modelText: string;
  before: Fleet;
  after: Fleet;
  viewing: Promise<GitView>;
  cacheDir: string | undefined;
  current: CurrentSide | undefined;
}

/** kustomize or kubectl when on PATH; undefined lets a diff that builds nothing run without them. */
function kustomizeIfAny(): KustomizeTool | undefined {
  try {
    return findKustomize();
  } catch {
    return undefined;
  }
}

async function compare({ root, fs, modelText, before, after, viewing, cacheDir, current }: Inputs): Promise<DiffReport> {
  const rendered = renderRepo(after, SealedStore.parse(fs.read(SEALED_FILE), SEALED_FILE));
  const previous = parseState(fs.read(STATE_FILE));
  const cache = new Map<string, string | undefined>();
  const read = (p: string) => {
    if (!cache.has(p)) cache.set(p, fs.read(p));
    return cache.get(p);
  };
  const view = await viewing;
  const idOf = currentIds(view, read);
  const ids = renderedIds(rendered);
  const bases = await mergeBases(root, basesNeeded(rendered, previous, idOf, false, ids));
  const plan = planGenerate({ rendered, previous, read, idOf, ids, force: false, inputs: [{ path: MODEL_FILE, content: modelText }], bases });
  const conflicts = new Set(plan.conflicts.map((c) => c.path));
  // What --force would write, for the files generate refuses (planned only when there are some).
  const forced = conflicts.size > 0 ? planGenerate({ rendered, previous, read, idOf, ids, force: true }) : undefined;
  const files = [
    ...fileChanges(plan, read),
    ...(forced
      ? fileChanges(
          { ...forced, writes: forced.writes.filter((w) => conflicts.has(w.path)), deletes: forced.deletes.filter((d) => conflicts.has(d)) },
          read,
        ).map((f) => ({ ...f, conflict: true }))
      : []),
  ].sort((x, y) => (x.path < y.path ? -1 : 1));
  const destructive = destructiveInPlan(plan, new Set([...Object.keys(previous.files), ...rendered.keys()]), read, idOf);
  const report: DiffReport = {
    changed: files.length > 0,
    files,
    clusters: {},
    conflicts: [...conflicts].sort(),
    destructive,
    handEdits: keptHandEdits(plan, rendered, previous, bases, read),
    applications: { added: [], removed: [] },
    builds: 0,
  };
  if (!report.changed) return report;

  const proposed = new ProposedTree(root, plan.writes, plan.deletes, after.git.path);
  try {
    const changed = [...plan.writes.map((w) => w.path), ...plan.deletes];
    // Without kustomize this says so, as it always did.
    const side = current ?? startCurrentSide({ root, before, after, tool: findKustomize(), cacheDir });
    const { before: a, after: b } = await touchedDeployments({ current: side, changed, proposed, view });
    report.clusters = diffClusters(a.views, b.views);
    report.applications = { added: [...b.apps].filter((n) => !a.apps.has(n)).sort(), removed: [...a.apps].filter((n) => !b.apps.has(n)).sort() };
    report.builds = a.builds + b.builds;
    Object.defineProperty(report, 'graphs', {
      value: { before: fleetGraph(a.clusters, a.views), after: fleetGraph(b.clusters, b.views) },
      enumerable: false,
    });
  } finally {
    proposed.dispose();
  }
  return report;
}

function fileChanges(plan: Plan, read: (p: string) => string | undefined): FileChange[] {
  const out: FileChange[] = [];
  for (const w of plan.writes) {
    if (w.path === STATE_FILE) continue;
    const old = read(w.path);
    out.push({ path: w.path, action: old === undefined ? 'create' : 'update', diff: unifiedDiff(w.path, old, w.content) });
  }
  for (const d of plan.deletes) out.push({ path: d, action: 'delete', diff: unifiedDiff(d, read(d), undefined) });
  return out;
}
