/**
 * Merge bases that outlive any number of model changes. Every render a run writes is stored in git
 * as a commit on a ref of our own (`refs/calisti-gitops/generated`), whether or not the run
 * commits: the blob ids `.calisti-gitops/generated.json` records are then always in git, and
 * reachable, so `git gc` never drops them. One `git fast-import` process writes only what changed
 * since the last stored render.
 */
import { MODEL_FILE, SEALED_FILE } from '../render/layout.js';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { scratchFolder } from '../exit-cleanup.js';
import { join } from 'node:path';
import { committedFile, gitExec, gitExecFromFile, ZERO_ID } from './git.js';
import { gitDir, SCRATCH } from './gitdir.js';
import { blobId } from './state.js';

export const BASES_REF = 'refs/calisti-gitops/generated';

interface RenderFile {
  content: string;
  executable?: boolean;
}

/** The last stored render: its tip (undefined when nothing was stored yet) and path -> blob id. */
export interface StoredRender {
  tip: string | undefined;
  tree: Map<string, string>;
}

/** Asked before the new render is ready (two git processes beside the render). */
export async function storedRender(dir: string): Promise<StoredRender> {
  const tip = (await gitExec(dir, ['rev-parse', '--verify', '--quiet', `${BASES_REF}^{commit}`]).catch(() => '')).trim() || undefined;
  const tree = new Map<string, string>();
  if (!tip) return { tip, tree };
  // --full-tree: this tree is the render's own, whatever folder of the repository dir is.
  for (const entry of (await gitExec(dir, ['ls-tree', '-r', '-z', '--full-tree', tip])).split('\0')) {
    const m = /^\d+ blob ([0-9a-f]{40})\t(.+)$/s.exec(entry);
    if (m) tree.set(m[2]!, m[1]!);
  }
  return { tip, tree };
}

/**
 * fast-import edits the stored tree in one process, writing trees into its pack; but it finds each
 * path by a linear scan of every folder on the way, so a big change in big folders (a first run of
 * 10,000 clusters: 73,000 paths under folders of 10,000 overlays, 730 million entries scanned, 2.5 s;
 * about 300 million and 1.4 s with the new overlays staged, see fastImportPlan) is quadratic.
 * Above this many folder entries scanned (about 0.1 s of fast-import), a scratch index builds the
 * tree instead: git's write-tree, which writes each tree as a loose object (10,000 files at 10,000
 * clusters, which a slow disk makes as costly as the working tree's).
 */
const MAX_SCANNED = 25_000_000;
/**
 * Folder entries fast-import may scan per file the run writes beside it (about 40 µs of its time,
 * against 25 µs per file of the writes on tmpfs, more on a disk): the store then ends about when
 * the writes do, and a first run of 10,000 clusters leaves one pack instead of 10,000 loose trees.
 * The quadratic cost still ends it: past about 30,000 clusters (by the scan counts) the scratch
 * index is taken again.
 */
const SCANNED_PER_WRITE = 12_000;

/** Entries (files and folders) per folder of a tree, and what reaching into a folder scans. */
function treeShape(all: Iterable<string>) {
  // Each entry counted once: a folder seen before has had its own, and its ancestors', counted.
  const entries = new Map<string, number>([['', 0]]);
  const seen = new Set<string>();
  for (const p of all) {
    for (let entry = p; !seen.has(entry); ) {
      seen.add(entry);
      const folder = parentOf(entry);
      entries.set(folder, (entries.get(folder) ?? 0) + 1);
      if (folder === '') break;
      entry = folder;
    }
  }
  // Reaching into a folder scans its entries and every ancestor's.
  const reach = new Map<string, number>([['', entries.get('')!]]);
  const reachOf = (folder: string): number => {
    let r = reach.get(folder);
    if (r === undefined) {
      r = (entries.get(folder) ?? 0) + reachOf(parentOf(folder));
      reach.set(folder, r);
    }
    return r;
  };
  return { entries: (folder: string) => entries.get(folder) ?? 0, reachOf };
}

/** Where a staged folder's files are written before the folder is moved into place (see fastImportPlan). */
export const STAGE = '.calisti-stage';
const inStage = (path: string) => path === STAGE || path.startsWith(`${STAGE}/`);
/** A folder is staged when its parent holds more entries than this: below, staging saves nothing. */
const STAGE_ABOVE = 64;

/**
 * fast-import's edits, and the folder entries they scan. A new folder whose files are all new and
 * whose parent is big (an overlay among 10,000) is written under STAGE, a folder of its own at the
 * root, then moved into place with one `R`: the big parent is scanned once per folder, not once per
 * file (2.5 s to 1.4 s of fast-import at 10,000 clusters, the same tree). Only when the plain edits
 * would scan more than `stageFrom` entries: below, planning costs the run more than it saves (and
 * `cost` is the plain edits' scan count).
 */
export function fastImportPlan(
  all: Iterable<string>,
  changed: string[],
  gone: string[],
  storedPaths: Iterable<string>,
  stageFrom = MAX_SCANNED,
): { cost: number; staged: Map<string, string[]>; direct: string[] } {
  const { entries, reachOf } = treeShape(all);
  let goneCost = 0;
  for (const p of gone) goneCost += reachOf(parentOf(p));
  let plain = goneCost;
  for (const p of changed) plain += reachOf(parentOf(p));
  if (plain <= stageFrom) return { cost: plain, staged: new Map(), direct: changed };
  const storedFolders = new Set<string>();
  let clash = false;
  for (const p of storedPaths) {
    if (inStage(p)) clash = true;
    for (let f = parentOf(p); f !== '' && !storedFolders.has(f); f = parentOf(f)) storedFolders.add(f);
  }
  // Folders holding a changed file directly, and those holding one deeper down (not staged: a
  // later edit below a moved folder would be fine, an earlier one would be moved over).
  const byFolder = new Map<string, string[]>();
  const deeper = new Set<string>();
  for (const p of changed) {
    if (inStage(p)) clash = true;
    const folder = parentOf(p);
    const files = byFolder.get(folder);
    if (files) files.push(p);
    else byFolder.set(folder, [p]);
    for (let f = parentOf(folder); f !== '' && !deeper.has(f); f = parentOf(f)) deeper.add(f);
  }
  const staged = new Map<string, string[]>();
  const direct: string[] = [];
  let cost = goneCost;
  for (const [folder, files] of byFolder) {
    if (!clash && folder !== '' && !storedFolders.has(folder) && !deeper.has(folder) && entries(parentOf(folder)) > STAGE_ABOVE) {
      staged.set(folder, files);
      // Each file: the root and the stage; the move: the root, and the way to the folder's place.
      cost += files.length * (entries('') + files.length) + entries('') + reachOf(parentOf(folder));
    } else {
      direct.push(...files);
      cost += files.length * reachOf(folder);
    }
  }
  return { cost, staged, direct };
}

const parentOf = (path: string) => {
  const cut = path.lastIndexOf('/');
  return cut > 0 ? path.slice(0, cut) : '';
};

const MESSAGE = 'calisti-gitops: the last generated render (merge bases)';

/** A store under way: `done` settles when git holds `ids` (and BASES_REF points at the render). */
export interface Storing {
  ids: ReadonlySet<string>;
  done: Promise<void>;
}

/**
 * Starts storing the render (path -> content, with each content's blob id) as the new tip of
 * BASES_REF, and `extra` contents as blobs beside it (what else the run writes, so the commit
 * finds them in git). Its first git process reads from a file in the git folder and is running when
 * this returns, so the caller's synchronous writes run beside it. `maxScanned`: see MAX_SCANNED
 * (tests pass 0 to take the scratch index); `besideWrites`: how many files the caller writes meanwhile
 * (see SCANNED_PER_WRITE); `stageFrom`: see fastImportPlan (tests pass 0 to stage what may be).
 */
export function storeRender(
  dir: string,
  render: Map<string, RenderFile & { blob: string }>,
  opts: { stored: StoredRender; identity: NodeJS.ProcessEnv; extra?: string[]; maxScanned?: number; besideWrites?: number; stageFrom?: number },
): Storing {
  const { tip, tree: stored } = opts.stored;
  const extra = [...new Set(opts.extra ?? [])];
  const ids = new Set([...[...render.values()].map((f) => f.blob), ...extra.map(blobId)]);
  const changed = [...render].filter(([p, f]) => stored.get(p) !== f.blob);
  const gone = [...stored.keys()].filter((p) => !render.has(p));
  const blobs = extra.map((content) => `blob\n${data(content)}`);
  const renderStored = changed.length === 0 && gone.length === 0 && stored.size > 0;
  if (renderStored && blobs.length === 0) return { ids, done: Promise.resolve() };
  const env: NodeJS.ProcessEnv = { ...opts.identity, GIT_COMMITTER_DATE: '@0 +0000', GIT_AUTHOR_DATE: '@0 +0000' };
  const scratch = scratchFolder(SCRATCH.render, gitDir(dir));
  const stream = join(scratch.path, 'stream');
  const run = (): Promise<void> => {
    if (renderStored) {
      writeStream(stream, blobs);
      return gitExecFromFile(dir, ['fast-import', '--quiet'], stream).then(() => undefined);
    }
    const plan = fastImportPlan(
      new Set([...stored.keys(), ...render.keys()]),
      changed.map(([p]) => p),
      gone,
      stored.keys(),
      opts.stageFrom,
    );
    if (plan.cost <= (opts.maxScanned ?? Math.max(MAX_SCANNED, (opts.besideWrites ?? 0) * SCANNED_PER_WRITE))) {
      const who = `${env.GIT_COMMITTER_NAME ?? 'calisti-gitops'} <${env.GIT_COMMITTER_EMAIL ?? 'calisti-gitops@users.noreply.localhost'}>`;
      const chunks: string[] = [...blobs, `commit ${BASES_REF}\ncommitter ${who} 0 +0000\n`, data(MESSAGE)];
      if (tip) chunks.push(`from ${tip}\n`);
      for (const p of gone) chunks.push(`D ${quote(p)}\n`);
      const modify = (p: string, at = p) => {
        const f = render.get(p)!;
        chunks.push(`M ${f.executable ? '100755' : '100644'} inline ${quote(at)}\n`, data(f.content));
      };
      for (const p of plan.direct) modify(p);
      for (const [folder, files] of plan.staged) {
        for (const p of files) modify(p, `${STAGE}/${p.slice(folder.length + 1)}`);
        chunks.push(`R ${STAGE} ${quote(folder)}\n`);
      }
      chunks.push('\n');
      writeStream(stream, chunks);
      // No --force: the ref moves only forward from the tip read above, so a fast-import left
      // running by a killed run can never move it back behind a later run's render.
      return gitExecFromFile(dir, ['fast-import', '--quiet'], stream, env).then(() => undefined);
    }
    // The blobs in one pack (fast-import deltas each against the one before), then the tree.
    writeStream(stream, [...blobs, ...changed.map(([, f]) => `blob\n${data(f.content)}`)]);
    const imported = gitExecFromFile(dir, ['fast-import', '--quiet'], stream);
    return imported.then(async () => {
      const index = { GIT_INDEX_FILE: join(scratch.path, 'index') };
      if (tip) await gitExec(dir, ['read-tree', tip], { env: index });
      const entries = [...gone.map((p) => `0 ${ZERO_ID}\t${p}`), ...changed.map(([p, f]) => `${f.executable ? '100755' : '100644'} ${f.blob}\t${p}`)];
      await gitExec(dir, ['update-index', '--add', '--remove', '-z', '--index-info'], { env: index, input: `${entries.join('\0')}\0` });
      const tree = (await gitExec(dir, ['write-tree'], { env: index })).trim();
      const commit = (await gitExec(dir, ['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-m', MESSAGE], { env })).trim();
      await gitExec(dir, ['update-ref', BASES_REF, commit, tip ?? ZERO_ID]);
    });
  };
  let done: Promise<void>;
  try {
    done = run();
  } catch (e) {
    done = Promise.reject(e); // the stream could not be written (a full disk): the caller's undo runs
  }
  done = done.finally(() => scratch.remove());
  done.catch(() => undefined); // awaited by the caller, after its writes
  return { ids, done };
}

/** The stream in writes of about 1 MB: never the whole stream (100 MB at 10,000 clusters) as one string. */
function writeStream(file: string, chunks: string[]): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    let batch = '';
    for (const c of chunks) {
      batch += c;
      if (batch.length >= 1 << 20) {
        writeFileSync(fd, batch);
        batch = '';
      }
    }
    writeFileSync(fd, batch);
  } finally {
    closeSync(fd);
  }
}

/** fast-import's `data` command: exact byte count, then the bytes. */
const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
/**
 * A path as fast-import reads it: as it is when plainly safe, else C-style quoted, every byte
 * outside printable ASCII in octal (JSON's \u escapes are not C's: fast-import took them literally).
 * A lone surrogate is written as U+FFFD, as the UTF-8 encoder writes it for the scratch index.
 */
function quote(path: string): string {
  if (/^[A-Za-z0-9._/-]+$/.test(path)) return path;
  let out = '"';
  for (const b of Buffer.from(path, 'utf8')) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}

/**
 * Merge bases git does not have (a fresh clone: BASES_REF is local): the files were generated from
 * the committed model, and rendering is deterministic, so rendering it again gives them back, byte for
 * byte, whenever the toolkit renders it as it did then (each is matched by its blob id, never guessed).
 */
export async function basesFromCommittedModel(
  dir: string,
  missing: string[],
  render: (modelText: string, sealedText: string | undefined) => Map<string, { content: string }> | undefined,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (missing.length === 0) return out;
  const model = await committedFile(dir, MODEL_FILE);
  if (model === undefined) return out;
  const tree = render(model, await committedFile(dir, SEALED_FILE));
  if (!tree) return out;
  const want = new Set(missing);
  for (const f of tree.values()) {
    const id = blobId(f.content);
    if (want.has(id)) out.set(id, f.content);
  }
  return out;
}
