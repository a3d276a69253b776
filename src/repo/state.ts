/**
 * What the last `generate` wrote: path -> git blob id, kept in the repo (.calisti-gitops/generated.json)
 * so a later run can tell a hand edit from a file it wrote itself.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { APPS_DIR, BOOTSTRAP_DIR, README, STATE_FILE, TRUST_SCRIPT } from '../render/layout.js';

export interface GeneratedState {
  files: Record<string, string>;
  /** Listed paths the renderer could never produce: ignored, never deleted (the file is repo content, so hostile). */
  ignored?: string[];
}

const StateFile = z.object({ files: z.record(z.string(), z.string().regex(/^[0-9a-f]{40}$/, 'not a git blob id')) });

/** Top-level names the renderer writes under; anything else listed in the state file is not ours to delete. */
const RENDER_ROOTS = new Set([BOOTSTRAP_DIR, APPS_DIR, 'manifests', 'components']);
const RENDER_FILES = new Set([TRUST_SCRIPT, README]);

/** A relative, normalized path inside one of the renderer's roots (no `..`, no `.git`, no absolute path). */
export function renderablePath(path: string): boolean {
  if (path.length === 0 || path.length > 4096 || /[\\\0]/.test(path)) return false;
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git')) return false;
  return parts.length === 1 ? RENDER_FILES.has(path) : RENDER_ROOTS.has(parts[0]!);
}

/**
 * A file's git blob id. Recording blob ids (not just any digest) lets a later run read the last
 * generated content back from git's object store to three-way merge a hand edit.
 */
export const blobId = (content: string | Buffer) => {
  const buf = typeof content === 'string' ? Buffer.from(content) : content;
  return createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex');
};

export function parseState(text: string | undefined): GeneratedState {
  if (text === undefined) return { files: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${STATE_FILE} is damaged (${(e as Error).message})`, `restore it with: git checkout -- ${STATE_FILE}`);
  }
  const parsed = StateFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${STATE_FILE} is damaged (${issue.path.join('.') || 'top level'}: ${issue.message})`, `restore it with: git checkout -- ${STATE_FILE}`);
  }
  const files: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [path, id] of Object.entries(parsed.data.files)) {
    if (renderablePath(path)) files[path] = id;
    else ignored.push(path);
  }
  return ignored.length ? { files, ignored } : { files };
}

export function serializeState(state: GeneratedState): string {
  const files = Object.fromEntries(Object.entries(state.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ files }, null, 2)}\n`;
}
