/**
 * planGenerate: compare the new render with the repo and the last generated state, and decide what
 * to write, delete or refuse. Pure; `apply` does the I/O.
 */
import type { RenderedTree } from '../render/index.js';
import { MODEL_FILE, STATE_FILE } from '../render/layout.js';
import { serializeState, sha256, type GeneratedState } from './state.js';

export interface FileWrite {
  path: string;
  content: string;
  executable: boolean;
  action: 'create' | 'update' | 'restore';
}

export interface Conflict {
  path: string;
  reason: 'edited' | 'not-generated';
}

export interface Plan {
  writes: FileWrite[];
  deletes: string[];
  conflicts: Conflict[];
  unchanged: string[];
}

/** Reads a repo file's current content, or undefined when it does not exist. */
export type ReadCurrent = (path: string) => string | undefined;

export function planGenerate(opts: {
  rendered: RenderedTree;
  previous: GeneratedState;
  read: ReadCurrent;
  force: boolean;
  /** The model text to store as calisti.yaml, when it came from elsewhere (-f). */
  model?: string;
}): Plan {
  const { rendered, previous, read, force } = opts;
  const plan: Plan = { writes: [], deletes: [], conflicts: [], unchanged: [] };
  const state: GeneratedState = { files: {} };

  for (const [path, file] of rendered) {
    const next = sha256(file.content);
    state.files[path] = next;
    const current = read(path);
    const was = previous.files[path];
    if (current !== undefined && sha256(current) === next) {
      plan.unchanged.push(path);
      continue;
    }
    const write = (action: FileWrite['action']) => plan.writes.push({ path, content: file.content, executable: file.executable ?? false, action });
    if (current === undefined) write(was === undefined ? 'create' : 'restore');
    else if (was !== undefined && sha256(current) === was) write('update');
    else if (force) write('update');
    else plan.conflicts.push({ path, reason: was === undefined ? 'not-generated' : 'edited' });
  }

  for (const [path, was] of Object.entries(previous.files)) {
    if (rendered.has(path)) continue;
    const current = read(path);
    if (current === undefined) continue;
    if (sha256(current) === was || force) plan.deletes.push(path);
    else plan.conflicts.push({ path, reason: 'edited' });
  }

  if (opts.model !== undefined && read(MODEL_FILE) !== opts.model) {
    plan.writes.push({ path: MODEL_FILE, content: opts.model, executable: false, action: read(MODEL_FILE) === undefined ? 'create' : 'update' });
  }

  const stateText = serializeState(state);
  const changed = plan.writes.length > 0 || plan.deletes.length > 0;
  if (changed || read(STATE_FILE) !== stateText) {
    plan.writes.push({ path: STATE_FILE, content: stateText, executable: false, action: read(STATE_FILE) === undefined ? 'create' : 'update' });
  }
  plan.deletes.sort();
  return plan;
}

export const planChanges = (plan: Plan) => plan.writes.length + plan.deletes.length;
