/**
 * What the last `generate` wrote: path -> git blob id, kept in the repo (.calisti-gitops/generated.json)
 * so a later run can tell a hand edit from a file it wrote itself.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import { STATE_FILE } from '../render/layout.js';

export interface GeneratedState {
  files: Record<string, string>;
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
  try {
    const parsed = JSON.parse(text) as GeneratedState;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.files !== 'object' || parsed.files === null) throw new Error('no "files" map');
    for (const [k, v] of Object.entries(parsed.files)) {
      if (typeof v !== 'string' || !/^[0-9a-f]{40}$/.test(v)) throw new Error(`bad blob id for ${k}`);
    }
    return parsed;
  } catch (e) {
    throw new UserError(`${STATE_FILE} is damaged (${(e as Error).message})`, `restore it with: git checkout -- ${STATE_FILE}`);
  }
}

export function serializeState(state: GeneratedState): string {
  const files = Object.fromEntries(Object.entries(state.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ files }, null, 2)}\n`;
}
