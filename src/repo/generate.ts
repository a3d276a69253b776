/**
 * runGenerate: model -> render -> plan -> apply -> commit, all or nothing. If anything fails after
 * the first write, every file is put back and nothing stays staged.
 */
import { join, resolve } from 'node:path';
import { notice } from '../notices.js';
import { HandEditError, osReason, UserError } from '../errors.js';
import { blueprintFor } from '../model/blueprint.js';
import { parseFleet, readModelText } from '../model/load.js';
import { renderRepo } from '../render/index.js';
import { MODEL_FILE, SEALED_FILE, STATE_FILE, VENDORED_CHART_DIR } from '../render/layout.js';
import { refusePlaintext } from '../secrets/leak.js';
import { SealedStore } from '../secrets/store.js';
import { RepoFs, Journal } from './fs.js';
import { assertIndexUnlocked, commitFiles, type CommitContext } from './commit.js';
import { commitSetup, committedFile, headCommit, readBlobs, repoPrefix } from './git.js';
import type { Fleet } from '../model/schema.js';
import { checkTransition } from '../upgrade/transition.js';
import { clearJournal, describeRecovery, recover, writeJournal } from './journal.js';
import { withRepoLock } from './lock.js';
import { basesNeeded, planGenerate, renderedIds, type Plan } from './plan.js';
import { basesFromCommittedModel, storedRender, storeRender, type Storing } from './bases.js';
import { describeDestructive, destructiveInPlan } from '../diff/destructive.js';
import { isGeneratedPath } from '../render/layout.js';
import { blobId, parseState } from './state.js';
import { noopOptions, rememberNoop } from './noop.js';
import { currentIds, gitView, settled } from './clean.js';
import { modelCacheDir, rememberedFleet } from './remembered-model.js';

export interface GenerateOptions {
  dir: string;
  /** Model file outside the repo; default: <dir>/calisti.yaml. */
  modelPath?: string;
  /** Model text to store as calisti.yaml (init); wins over modelPath. `fleet`: its model, when the caller parsed it. */
  modelText?: { text: string; display: string; fleet?: Fleet };
  /** Paths changed by the caller that belong in the same commit (a vendored chart). */
  extraPaths?: string[];
  /** New sealed-secrets.yaml content (seal): rendered from and written in the same run. */
  sealedText?: string;
  /** Called as the run advances (the CLI draws it on a terminal). */
  onProgress?: (phase: string, done?: number, total?: number) => void;
  commit: boolean;
  force: boolean;
  /**
   * Consent to changes that make Argo CD delete things on the clusters (removed Applications,
   * Namespaces, CRDs, IstioControlPlanes); without it such a plan is refused.
   */
  allowDestructive?: boolean;
  message?: string;
}

export interface GenerateResult {
  dir: string;
  changed: boolean;
  commit: string | null;
  created: string[];
  updated: string[];
  /** Hand-edited files merged with the model's changes. */
  merged: string[];
  /** Hand-edited files the model did not change, left as edited. */
  kept: string[];
  restored: string[];
  deleted: string[];
  /** With --force: the hand edits it overwrote or deleted. */
  discarded: { path: string; resource: string; field: string }[];
  unchanged: number;
  warnings: string[];
}

export const DEFAULT_MESSAGE = 'chore(calisti): generate from calisti.yaml';

export async function runGenerate(opts: GenerateOptions): Promise<GenerateResult> {
  const dir = resolve(opts.dir);
  const prefix = await repoPrefix(dir);
  if (prefix === undefined) {
    throw new UserError(`${dir} is not in a git repository`, 'create one with: calisti-gitops init <dir> --example multi-cluster');
  }
  return withRepoLock(dir, () => generateLocked(dir, opts, prefix));
}

async function generateLocked(dir: string, opts: GenerateOptions, prefix: string): Promise<GenerateResult> {
  const recovered = await recover(dir);
  if (recovered) notice(describeRecovery(recovered));
  // What git knows of the tree, asked now (nothing writes to it before the plan is applied) while
  // the model is parsed and rendered.
  const viewing = gitView(dir);
  viewing.catch(() => undefined);
  const fs = new RepoFs(dir);
  const external = opts.modelText !== undefined || (opts.modelPath !== undefined && resolve(opts.modelPath) !== join(fs.root, MODEL_FILE));
  const display = opts.modelText?.display ?? (external ? opts.modelPath! : MODEL_FILE);
  const modelText = opts.modelText?.text ?? readModelText(external ? resolve(opts.modelPath!) : join(fs.root, MODEL_FILE), display);
  const fleet = opts.modelText?.fleet ?? rememberedFleet(modelText, display, modelCacheDir(dir));
  if ((fleet.git.path ?? '') !== prefix) {
    throw new UserError(
      `git.path in ${display} is ${fleet.git.path ? `"${fleet.git.path}"` : 'not set'}, but this tree is ${prefix ? `the folder ${prefix} of` : 'the root of'} its git repository: Argo CD would look for its files elsewhere`,
      prefix ? `set git.path: ${prefix} in ${MODEL_FILE}` : `remove git.path from ${MODEL_FILE}`,
    );
  }
  await refuseUnsupportedChange(dir, fleet);
  opts.onProgress?.('rendering');
  const cache = new Map<string, string | undefined>();
  const read = (p: string) => {
    if (!cache.has(p)) cache.set(p, fs.read(p));
    return cache.get(p);
  };
  const rendered = renderRepo(fleet, SealedStore.parse(opts.sealedText ?? read(SEALED_FILE), SEALED_FILE));
  const previous = parseState(read(STATE_FILE));
  const ids = renderedIds(rendered);
  // Files git knows unchanged are compared by id, never read.
  const view = await viewing;
  const idOf = currentIds(view, read);
  const plan = planGenerate({
    ids,
    idOf,
    rendered,
    previous,
    read,
    force: opts.force,
    inputs: [
      ...(external ? [{ path: MODEL_FILE, content: modelText }] : []),
      ...(opts.sealedText !== undefined ? [{ path: SEALED_FILE, content: opts.sealedText }] : []),
    ],
    bases: await mergeBases(dir, basesNeeded(rendered, previous, idOf, opts.force, ids)),
  });
  if (plan.conflicts.length > 0) {
    throw new HandEditError(
      plan.conflicts.flatMap((c) =>
        c.reason === 'not-generated'
          ? [`${c.path} (exists, not generated by calisti-gitops)`]
          : c.fields?.length
            ? c.fields.map((f) => `${c.path}: ${f.resource} ${f.path} (changed by hand and by the model)`)
            : [`${c.path} (edited by hand${previous.files[c.path] ? '; the last generated version is not in git, so it cannot be merged' : ''})`],
      ),
    );
  }
  // The leak guard: no credential in clear may sit in the repo. Only files that will hold exactly
  // what the renderer wrote are trusted; hand edits (kept or merged), the user's own files and
  // everything else this run writes are checked.
  const handEdited = new Set([...plan.kept, ...plan.writes.filter((w) => w.action === 'merge').map((w) => w.path)]);
  const trusted = new Set([...rendered.keys()].filter((p) => !handEdited.has(p)));
  refusePlaintext(
    fs.root,
    new Map(plan.writes.filter((w) => !trusted.has(w.path)).map((w) => [w.path, w.content])),
    trusted,
    new Set([STATE_FILE, SEALED_FILE]),
  );

  if (!opts.allowDestructive) {
    const destructive = destructiveInPlan(plan, new Set([...Object.keys(previous.files).filter(isGeneratedPath), ...rendered.keys()]), read, idOf);
    if (destructive.length) {
      throw new UserError(
        `this change makes Argo CD delete things on the clusters; nothing was written:\n${destructive.map((d) => `  ${describeDestructive(d)}`).join('\n')}`,
        'review it with calisti-gitops diff, then consent: calisti-gitops generate --allow-destructive',
      );
    }
  }
  const warnings: string[] = plan.ignored.map((p) => `${STATE_FILE} lists ${JSON.stringify(p)}, which calisti-gitops never generates: left alone`);
  if (fleet.calisti.chart === 'vendored' && read(`${VENDORED_CHART_DIR}/Chart.yaml`) === undefined) {
    const chart = blueprintFor(fleet.calisti.version).chart;
    warnings.push(
      `calisti.chart is "vendored" but ${VENDORED_CHART_DIR}/Chart.yaml is missing; add it with: helm pull oci://${chart.repository}/${chart.name} --version ${chart.version} --untar --destination charts/`,
    );
  }

  // A commit holds the whole generated set as this run leaves it, not only what it touched: the
  // model and every file it generates always travel together. Hand-edited files kept as they are
  // stay the user's to commit.
  const kept = new Set(plan.kept);
  const owned = [...[...rendered.keys()].filter((p) => !kept.has(p)), ...plan.deletes, STATE_FILE, MODEL_FILE, SEALED_FILE, ...(opts.extraPaths ?? [])];
  // What each file holds once the plan is applied, by blob id, as far as this run knows it: the
  // commit reads from disk only the rest.
  const known = new Map(plan.unchanged.map((p) => [p, ids.get(p)!]));
  for (const w of plan.writes) known.set(w.path, w.content === rendered.get(w.path)?.content ? ids.get(w.path)! : blobId(w.content));
  let setup = opts.commit ? commitSetup(dir) : undefined;
  setup?.catch(() => undefined);
  // The render itself goes into git (a ref of our own) as the files are written: it is the merge
  // base of every later run, whatever this one commits. With a commit to make, what else the run
  // writes goes into git with it, so the commit finds every blob there.
  let storing: Storing | undefined;
  if (plan.writes.length || plan.deletes.length) {
    setup ??= commitSetup(dir); // the store commits too, as the same identity
    const [stored, { identity }] = await Promise.all([storedRender(dir), setup]);
    const extra = opts.commit ? plan.writes.filter((w) => !rendered.has(w.path) || w.content !== rendered.get(w.path)!.content).map((w) => w.content) : [];
    storing = storeRender(dir, new Map([...rendered].map(([p, f]) => [p, { ...f, blob: ids.get(p)! }])), {
      stored,
      identity,
      extra,
      besideWrites: plan.writes.length,
    });
  }
  const commit = await applyPlan(fs, plan, {
    commit: opts.commit ? { message: opts.message ?? DEFAULT_MESSAGE, paths: owned } : undefined,
    extraPaths: opts.extraPaths,
    onProgress: opts.onProgress,
    read,
    context: { known, prefix, setup, files: view.clean },
    storing,
    settled: (p) => settled(view, p, idOf),
  });
  const by = (a: string) => plan.writes.filter((w) => w.action === a && w.path !== STATE_FILE).map((w) => w.path);
  const result: GenerateResult = {
    dir: fs.root,
    changed: plan.writes.some((w) => w.path !== STATE_FILE) || plan.deletes.length > 0,
    commit: commit ?? null,
    created: by('create'),
    updated: by('update'),
    merged: by('merge'),
    kept: plan.kept,
    restored: by('restore'),
    deleted: plan.deletes,
    discarded: plan.discarded,
    unchanged: plan.unchanged.length,
    warnings,
  };
  // Inputs from outside the repository (a model file, sealed values, a chart) are not in the key.
  const inRepo = !external && opts.sealedText === undefined && !opts.extraPaths?.length;
  if (inRepo && !commit && !plan.writes.length && !plan.deletes.length) rememberNoop(fs.root, noopOptions(opts), result);
  return result;
}

/**
 * Every writer goes through the upgrade rules: a model whose version or control planes changed
 * against HEAD's in a way `upgrade` would not do is refused, whoever edited it.
 */
export async function refuseUnsupportedChange(dir: string, fleet: Fleet): Promise<void> {
  const committed = await committedFile(dir, MODEL_FILE);
  if (committed === undefined) return;
  let before: Fleet;
  try {
    before = rememberedFleet(committed, `HEAD:${MODEL_FILE}`, modelCacheDir(dir));
  } catch {
    return; // HEAD's model is broken: nothing to compare with
  }
  const problems = checkTransition(before, fleet);
  if (problems.length)
    throw new UserError(
      `${MODEL_FILE} changed against HEAD in a way no supported upgrade does; nothing was written:\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
      problems[0]!.hint,
    );
}

/**
 * Write, delete, then commit. A failure restores every file and the index; a kill is undone by the
 * on-disk journal at the next run.
 */
export async function applyPlan(
  fs: RepoFs,
  plan: Plan,
  opts: {
    commit?: { message: string; paths: string[] };
    /** Paths the caller changed itself (a vendored chart), committed with the plan. */
    extraPaths?: string[];
    onProgress?: (phase: string, done?: number, total?: number) => void;
    /** What the plan read of each path (the journal saves it without reading again). */
    read?: (path: string) => string | undefined;
    /** What the run knows for the commit (see CommitContext); the head, what it wrote and stored are added here. */
    context?: CommitContext;
    /** The render being stored beside the writes (see storeRender): awaited before the commit, and undone with them. */
    storing?: Storing;
    /** Whether HEAD holds a path as the disk does (see clean.ts): with nothing to write, nothing to commit either. */
    settled?: (path: string) => boolean;
  },
): Promise<string | undefined> {
  const { commit, extraPaths = [], onProgress, context = {} } = opts;
  const faultPoint = faultPoints();
  const touched = [...plan.writes.map((w) => w.path), ...plan.deletes];
  if (commit) assertIndexUnlocked(fs.root);
  // Nothing to write: still commit what an earlier --no-commit run left uncommitted.
  if (touched.length === 0 && extraPaths.length === 0) {
    await opts.storing?.done;
    if (!commit || (opts.settled && commit.paths.every(opts.settled))) return undefined;
    return commitFiles(fs.root, commit.paths, commit.message, context);
  }
  const head = await headCommit(fs.root);
  const journal = new Journal(fs, writeJournal(fs, head, touched, opts.read));
  try {
    let done = 0;
    const files = new Map<string, { executable: boolean }>(context.files);
    for (const w of plan.writes) {
      fs.write(w.path, w.content, w.executable, w.action === 'create' || w.action === 'restore');
      files.set(w.path, { executable: w.executable });
      faultPoint();
      onProgress?.('writing', ++done, plan.writes.length);
      // A turn of the event loop now and then: the render's store (git processes, one after the
      // other) takes its next step beside the writes instead of after them.
      if (done % 1000 === 0) await new Promise(setImmediate);
    }
    for (const d of plan.deletes) {
      fs.remove(d);
      files.delete(d);
      faultPoint();
    }
    await opts.storing?.done;
    let made: string | undefined;
    if (commit) {
      onProgress?.('committing');
      made = await commitFiles(fs.root, commit.paths, commit.message, { ...context, head: head ?? null, files, stored: opts.storing?.ids, stats: fs.created });
      faultPoint();
    }
    clearJournal(fs.root);
    return made;
  } catch (e) {
    await opts.storing?.done.catch(() => undefined); // its scratch folder goes with it
    const failed = journal.rollback();
    if (failed.length) {
      // The journal stays on disk: the next run finishes the undo before anything else.
      throw new UserError(
        `${osReason(e)}; undoing the run failed too for ${failed.length} file(s) (${failed.slice(0, 3).join(', ')}${failed.length > 3 ? ', ...' : ''})`,
        'free the disk space (or fix the permission) and run the command again: it finishes the undo first',
      );
    }
    clearJournal(fs.root);
    throw e;
  }
}

/** Merge bases from git, else (a fresh clone without BASES_REF) from rendering the committed model again. */
export async function mergeBases(dir: string, ids: string[]): Promise<Map<string, string>> {
  const found = await readBlobs(dir, ids);
  const missing = ids.filter((id) => !found.has(id));
  const again = await basesFromCommittedModel(dir, missing, (model, sealed) => {
    try {
      return renderRepo(parseFleet(model, MODEL_FILE), SealedStore.parse(sealed, SEALED_FILE));
    } catch {
      return undefined; // a committed model that no longer parses gives no bases
    }
  });
  return new Map([...found, ...again]);
}

/**
 * Test hook for crash tests: CALISTI_GITOPS_KILL_AFTER_STEPS=n sends the process a signal (SIGKILL, or
 * CALISTI_GITOPS_KILL_SIGNAL) after the n-th write step. It never changes what is written.
 */
let steps = 0;
function faultPoints(): () => void {
  // Read once per run: an environment lookup per write step is measurable over 70,000 files.
  const n = Number(process.env.CALISTI_GITOPS_KILL_AFTER_STEPS ?? 0);
  if (!(n > 0)) return () => undefined;
  const signal = process.env.CALISTI_GITOPS_KILL_SIGNAL === 'SIGINT' ? 'SIGINT' : 'SIGKILL';
  return () => {
    if (++steps === n) process.kill(process.pid, signal);
  };
}
