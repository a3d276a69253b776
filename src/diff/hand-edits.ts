/**
 * The hand edits `generate` keeps: in files the model leaves as they were (kept as edited) and in
 * files it merges with the new render. Field paths only, never values (a hand edit may be a secret).
 */
import type { RenderedTree } from '../render/index.js';
import { handEdits } from '../repo/merge.js';
import type { Plan, ReadCurrent } from '../repo/plan.js';
import type { GeneratedState } from '../repo/state.js';

export interface HandEdit {
  path: string;
  resource: string;
  field: string;
}

/** `bases`: the last generated contents by blob id, as the plan was given them. */
export function keptHandEdits(plan: Plan, rendered: RenderedTree, previous: GeneratedState, bases: Map<string, string>, read: ReadCurrent): HandEdit[] {
  // Kept: the model renders what it rendered last time, so that render is the base.
  const kept = plan.kept.map((path) => ({ path, base: rendered.get(path)?.content }));
  const merged = plan.writes.filter((w) => w.action === 'merge').map((w) => ({ path: w.path, base: bases.get(previous.files[w.path] ?? '') }));
  return [...kept, ...merged]
    .flatMap(({ path, base }) => {
      const current = read(path);
      return base === undefined || current === undefined ? [] : handEdits(path, base, current).map((e) => ({ path, resource: e.resource, field: e.path }));
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
