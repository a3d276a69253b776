/**
 * planGenerate: compare the new render with the repo and the last generated state, and decide what
 * to write, delete or refuse. Pure; `apply` does the I/O.
 */
import type { RenderedTree } from '../render/index.js';
import { isGeneratedPath, STATE_FILE } from '../render/layout.js';
import { mergeFile, type MergeConflict } from './merge.js';
import { blobId, serializeState, type GeneratedState } from './state.js';

export interface FileWrite {
  path: string;
  content: string;
  executable: boolean;
  action: 'create' | 'update' | 'restore' | 'merge';
}

export interface Conflict {
  path: string;
  reason: 'edited' | 'not-generated';
  /** Resources and fields changed both by hand and by the model. */
  fields?: MergeConflict[];
}

export interface Plan {
  /** Paths the last state lists that no render could produce: never touched, only reported. */
  ignored: string[];
  writes: FileWrite[];
  deletes: string[];
  conflicts: Conflict[];
  unchanged: string[];
  /** Hand-edited files the model did not change: left as they are. */
  kept: string[];
}

/** Reads a repo file's current content, or undefined when it does not exist. */
export type ReadCurrent = (path: string) => string | undefined;

export function planGenerate(opts: {
  rendered: RenderedTree;
  previous: GeneratedState;
  read: ReadCurrent;
  force: boolean;
  /**
   * Input files the caller supplies with this run (calisti.yaml from -f or an edit, the sealed
   * values of seal): written when they differ from the repo's.
   */
  inputs?: { path: string; content: string }[];
  /** Last generated contents by blob id, for merging hand edits (see basesNeeded). */
  bases?: Map<string, string>;
}): Plan {
  const { rendered, previous, read, force } = opts;
  const plan: Plan = { ignored: [], writes: [], deletes: [], conflicts: [], unchanged: [], kept: [] };
  const state: GeneratedState = { files: {} };

  for (const [path, file] of rendered) {
    const next = blobId(file.content);
    state.files[path] = next;
    const current = read(path);
    const was = previous.files[path];
    const now = current === undefined ? undefined : blobId(current);
    if (now === next) {
      plan.unchanged.push(path);
      continue;
    }
    const write = (action: FileWrite['action'], content = file.content) => plan.writes.push({ path, content, executable: file.executable ?? false, action });
    if (current === undefined) write(was === undefined ? 'create' : 'restore');
    else if (was !== undefined && now === was) write('update');
    else if (force) write('update');
    else if (was === undefined) plan.conflicts.push({ path, reason: 'not-generated' });
    else if (next === was) plan.kept.push(path); // edited by hand, unchanged by the model: keep
    else {
      const base = opts.bases?.get(was);
      if (base === undefined) plan.conflicts.push({ path, reason: 'edited' });
      else {
        const m = mergeFile(path, base, current, file.content);
        if (m.conflicts.length) plan.conflicts.push({ path, reason: 'edited', fields: m.conflicts });
        else write('merge', m.text);
      }
    }
  }

  for (const [path, was] of Object.entries(previous.files)) {
    if (rendered.has(path)) continue;
    if (!isGeneratedPath(path)) {
      plan.ignored.push(path);
      continue;
    }
    const current = read(path);
    if (current === undefined) continue;
    if (blobId(current) === was || force) plan.deletes.push(path);
    else plan.conflicts.push({ path, reason: 'edited' });
  }

  for (const input of opts.inputs ?? []) {
    const current = read(input.path);
    if (current !== input.content) plan.writes.push({ path: input.path, content: input.content, executable: false, action: current === undefined ? 'create' : 'update' });
  }

  const stateText = serializeState(state);
  const changed = plan.writes.length > 0 || plan.deletes.length > 0;
  if (changed || read(STATE_FILE) !== stateText) {
    plan.writes.push({ path: STATE_FILE, content: stateText, executable: false, action: read(STATE_FILE) === undefined ? 'create' : 'update' });
  }
  plan.deletes.sort();
  return plan;
}


/** Blob ids of the last generated contents a plan will need to merge hand edits. */
export function basesNeeded(rendered: RenderedTree, previous: GeneratedState, read: ReadCurrent): string[] {
  const out: string[] = [];
  for (const [path, file] of rendered) {
    const was = previous.files[path];
    if (was === undefined) continue;
    const current = read(path);
    if (current === undefined) continue;
    const now = blobId(current);
    const next = blobId(file.content);
    if (now !== was && now !== next && next !== was) out.push(was);
  }
  return out;
}
