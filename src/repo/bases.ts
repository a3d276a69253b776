/**
 * Merge bases that outlive any number of model changes. Every render a run writes is stored in git
 * as a commit on a ref of our own (`refs/calisti-gitops/generated`), whether or not the run
 * commits: the blob ids `.calisti-gitops/generated.json` records are then always in git, and
 * reachable, so `git gc` never drops them. One `git fast-import` process writes only what changed
 * since the last stored render.
 */
import { MODEL_FILE, SEALED_FILE } from '../render/layout.js';
import { committedFile, gitExec, identityEnv } from './git.js';
import { blobId } from './state.js';

export const BASES_REF = 'refs/calisti-gitops/generated';

interface RenderFile {
  content: string;
  executable?: boolean;
}

/** Path -> blob id of the last stored render, or empty when there is none. */
async function storedTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const tip = (await gitExec(dir, ['rev-parse', '--verify', '--quiet', `${BASES_REF}^{commit}`]).catch(() => '')).trim();
  if (!tip) return out;
  // --full-tree: this tree is the render's own, whatever folder of the repository dir is.
  for (const entry of (await gitExec(dir, ['ls-tree', '-r', '-z', '--full-tree', tip])).split('\0')) {
    const m = /^\d+ blob ([0-9a-f]{40})\t(.+)$/s.exec(entry);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** Stores the render (path -> content, with each content's blob id) as the new tip of BASES_REF. */
export async function storeRender(dir: string, render: Map<string, RenderFile & { blob: string }>): Promise<void> {
  const stored = await storedTree(dir);
  const changed = [...render].filter(([p, f]) => stored.get(p) !== f.blob);
  const gone = [...stored.keys()].filter((p) => !render.has(p));
  if (changed.length === 0 && gone.length === 0 && stored.size > 0) return;
  const env = await identityEnv(dir);
  const who = `${env.GIT_COMMITTER_NAME ?? 'calisti-gitops'} <${env.GIT_COMMITTER_EMAIL ?? 'calisti-gitops@users.noreply.localhost'}>`;
  const chunks: string[] = [`commit ${BASES_REF}\ncommitter ${who} 0 +0000\n`, data('calisti-gitops: the last generated render (merge bases)')];
  if (stored.size > 0) chunks.push(`from ${BASES_REF}^0\n`);
  for (const p of gone) chunks.push(`D ${quote(p)}\n`);
  for (const [p, f] of changed) chunks.push(`M ${f.executable ? '100755' : '100644'} inline ${quote(p)}\n`, data(f.content));
  await gitExec(dir, ['fast-import', '--quiet', '--force'], { input: `${chunks.join('')}\n`, env: { ...env, GIT_COMMITTER_DATE: '0 +0000' } });
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
