/**
 * What the last `generate` wrote: path -> git blob id, kept in the repo (.calisti-gitops/generated.json)
 * so a later run can tell a hand edit from a file it wrote itself.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { isObj } from '../objects.js';
import { STATE_FILE } from '../render/layout.js';

export interface GeneratedState {
  files: Record<string, string>;
}

const BLOB_ID = /^[0-9a-f]{40}$/;
const StateFile = z.object({ files: z.record(z.string(), z.string().regex(BLOB_ID, 'not a git blob id')) });

/**
 * A file's git blob id. Recording blob ids (not just any digest) lets a later run read the last
 * generated content back from git's object store to three-way merge a hand edit.
 */
export const blobId = (content: string | Buffer) => {
  // A string is hashed as UTF-8 without first being copied into a buffer.
  const bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  return createHash('sha1').update(`blob ${bytes}\0`).update(content).digest('hex');
};

export function parseState(text: string | undefined): GeneratedState {
  if (text === undefined) return { files: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${STATE_FILE} is damaged (${(e as Error).message})`, `restore it with: git checkout -- ${STATE_FILE}`);
  }
  if (plainState(raw)) return { files: raw.files };
  const parsed = StateFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      `${STATE_FILE} is damaged (${issue.path.join('.') || 'top level'}: ${issue.message})`,
      `restore it with: git checkout -- ${STATE_FILE}`,
    );
  }
  // Listed paths the renderer never produces are dropped by planGenerate (isGeneratedPath), with a warning.
  return { files: parsed.data.files };
}

/** What StateFile accepts, checked without the schema (thousands of entries); anything else gets its located error. */
function plainState(raw: unknown): raw is GeneratedState {
  // A "__proto__" key: the schema drops it, so it decides.
  if (!isObj(raw) || !isObj(raw.files) || Object.hasOwn(raw.files, '__proto__')) return false;
  for (const id of Object.values(raw.files)) if (typeof id !== 'string' || !BLOB_ID.test(id)) return false;
  return true;
}

export function serializeState(state: GeneratedState): string {
  // JSON.stringify({ files }, null, 2) in sorted order, written directly: an object of 70,000 keys
  // would be built only to be written (and would put a key like "1" first whatever the sort).
  const files = Object.entries(state.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) return '{\n  "files": {}\n}\n';
  return `{\n  "files": {\n${files.map(([path, id]) => `    ${JSON.stringify(path)}: ${JSON.stringify(id)}`).join(',\n')}\n  }\n}\n`;
}
