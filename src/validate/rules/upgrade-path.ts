/**
 * upgrade/path: the model against a base (a branch's merge base, or the model before its last
 * change) must be a step the upgrade rules allow, however the change was made.
 */
import { parseFleet } from '../../model/load.js';
import type { Fleet } from '../../model/schema.js';
import { MODEL_FILE } from '../../render/layout.js';
import { gitExec } from '../../repo/git.js';
import { checkTransition } from '../../upgrade/transition.js';
import { finding, type Finding } from '../findings.js';

/**
 * The base: `--base <ref>`; else the merge base with the upstream branch; else HEAD when the
 * model has uncommitted changes; else the parent of the last commit that changed calisti.yaml.
 */
export async function baseModel(root: string, text: string, ref?: string): Promise<{ ref: string; text: string } | undefined> {
  const show = (r: string) => gitExec(root, ['show', `${r}:${MODEL_FILE}`]).catch(() => undefined);
  if (ref) {
    const t = await show(ref);
    return t === undefined ? undefined : { ref, text: t };
  }
  const upstream = (await gitExec(root, ['merge-base', 'HEAD', '@{upstream}']).catch(() => '')).trim();
  if (upstream) {
    const t = await show(upstream);
    if (t !== undefined) return { ref: upstream.slice(0, 12), text: t };
  }
  const head = await show('HEAD');
  if (head !== undefined && head !== text) return { ref: 'HEAD', text: head };
  const last = (await gitExec(root, ['log', '-1', '--format=%H', '--', MODEL_FILE]).catch(() => '')).trim();
  if (!last) return undefined;
  const t = await show(`${last}^`);
  return t === undefined ? undefined : { ref: `${last.slice(0, 12)}^`, text: t };
}

/** The base's model, or undefined when it does not parse (an older schema: nothing to compare). */
export function baseFleet(base: { ref: string; text: string }): Fleet | undefined {
  try {
    return parseFleet(base.text, `${base.ref}:${MODEL_FILE}`);
  } catch {
    return undefined;
  }
}

export function upgradePathFindings(base: { ref: string; text: string }, fleet: Fleet): Finding[] {
  const before = baseFleet(base);
  if (!before) return [];
  return checkTransition(before, fleet).map((p) => finding('upgrade/path', `against ${base.ref}: ${p.message}; ${p.hint}`, { file: MODEL_FILE }));
}
