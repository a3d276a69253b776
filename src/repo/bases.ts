/**
 * Merge bases that outlive any number of model changes. Every render a run writes is stored in git
 * as a commit on a ref of our own (`refs/calisti-gitops/generated`), whether or not the run
 * commits: the blob ids `.calisti-gitops/generated.json` records are then always in git, and
 * reachable, so `git gc` never drops them. One `git fast-import` process writes only what changed
 * since the last stored render.
 */
import { MODEL_FILE, SEALED_FILE } from '../render/layout.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { committedFile, gitExec, identityEnv, ZERO_ID } from './git.js';
import { gitDir } from './gitdir.js';
import { blobId } from './state.js';

export const BASES_REF = 'refs/calisti-gitops/generated';

interface RenderFile {
  content: string;
  executable?: boolean;
}

/** The tip of BASES_REF, or undefined when nothing was stored yet. */
async function storedTip(dir: string): Promise<string | undefined> {
  return (await gitExec(dir, ['rev-parse', '--verify', '--quiet', `${BASES_REF}^{commit}`]).catch(() => '')).trim() || undefined;
}

/** Path -> blob id of the last stored render, or empty when there is none. */
async function storedTree(dir: string, tip: string | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!tip) return out;
  // --full-tree: this tree is the render's own, whatever folder of the repository dir is.
  for (const entry of (await gitExec(dir, ['ls-tree', '-r', '-z', '--full-tree', tip])).split('\0')) {
    const m = /^\d+ blob ([0-9a-f]{40})\t(.+)$/s.exec(entry);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/**
 * fast-import edits the stored tree in one process, writing trees into its pack; but it finds each
 * path by a linear scan of every folder on the way, so a big change in big folders (a first run of
 * 10,000 clusters: 73,000 paths under folders of 10,000 overlays) is quadratic. Above this many
 * folder entries scanned (about 0.1 s of fast-import), a scratch index builds the tree instead
 * (git's write-tree, which writes each tree as a loose object).
 */
const MAX_SCANNED = 25_000_000;

/** How many folder entries fast-import scans to reach these paths in a tree holding `all`. */
function scanCost(all: Iterable<string>, paths: string[]): number {
  const children = new Map<string, Set<string>>();
  for (const p of all) {
    let child = p;
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const folder = p.slice(0, i);
      let set = children.get(folder);
      if (!set) children.set(folder, (set = new Set()));
      set.add(child);
      child = folder;
    }
    let top = children.get('');
    if (!top) children.set('', (top = new Set()));
    top.add(child);
  }
  let cost = 0;
  for (const p of paths) {
    cost += children.get('')?.size ?? 0;
    for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) cost += children.get(p.slice(0, i))?.size ?? 0;
  }
  return cost;
}

const MESSAGE = 'calisti-gitops: the last generated render (merge bases)';

/**
 * Stores the render (path -> content, with each content's blob id) as the new tip of BASES_REF.
 * `maxScanned`: see MAX_SCANNED (tests pass 0 to take the scratch index).
 */
export async function storeRender(dir: string, render: Map<string, RenderFile & { blob: string }>, maxScanned = MAX_SCANNED): Promise<void> {
  const tip = await storedTip(dir);
  const stored = await storedTree(dir, tip);
  const changed = [...render].filter(([p, f]) => stored.get(p) !== f.blob);
  const gone = [...stored.keys()].filter((p) => !render.has(p));
  if (changed.length === 0 && gone.length === 0 && stored.size > 0) return;
  const env: NodeJS.ProcessEnv = { ...(await identityEnv(dir)), GIT_COMMITTER_DATE: '@0 +0000', GIT_AUTHOR_DATE: '@0 +0000' };
  if (scanCost(new Set([...stored.keys(), ...render.keys()]), [...changed.map(([p]) => p), ...gone]) <= maxScanned) {
    const who = `${env.GIT_COMMITTER_NAME ?? 'calisti-gitops'} <${env.GIT_COMMITTER_EMAIL ?? 'calisti-gitops@users.noreply.localhost'}>`;
    const chunks: string[] = [`commit ${BASES_REF}\ncommitter ${who} 0 +0000\n`, data(MESSAGE)];
    if (tip) chunks.push(`from ${BASES_REF}^0\n`);
    for (const p of gone) chunks.push(`D ${quote(p)}\n`);
    for (const [p, f] of changed) chunks.push(`M ${f.executable ? '100755' : '100644'} inline ${quote(p)}\n`, data(f.content));
    await gitExec(dir, ['fast-import', '--quiet', '--force'], { input: `${chunks.join('')}\n`, env });
    return;
  }
  // The blobs in one pack (fast-import deltas each against the one before), then the tree.
  await gitExec(dir, ['fast-import', '--quiet'], { input: changed.map(([, f]) => `blob\n${data(f.content)}`).join('') });
  const scratch = mkdtempSync(join(gitDir(dir), 'calisti-render-'));
  const index = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    await gitExec(dir, tip ? ['read-tree', tip] : ['read-tree', '--empty'], { env: index });
    const entries = [...gone.map((p) => `0 ${ZERO_ID}\t${p}`), ...changed.map(([p, f]) => `${f.executable ? '100755' : '100644'} ${f.blob}\t${p}`)];
    await gitExec(dir, ['update-index', '--add', '--remove', '-z', '--index-info'], { env: index, input: `${entries.join('\0')}\0` });
    const tree = (await gitExec(dir, ['write-tree'], { env: index })).trim();
    const commit = (await gitExec(dir, ['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-m', MESSAGE], { env })).trim();
    await gitExec(dir, ['update-ref', BASES_REF, commit]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** fast-import's `data` command: exact byte count, then the bytes. */
const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
/** A path as fast-import reads it: C-style quoted when it could be misread. */
const quote = (p: string) => (/^[A-Za-z0-9._/-]+$/.test(p) ? p : JSON.stringify(p));

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
