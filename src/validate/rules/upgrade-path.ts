/**
 * upgrade/path: the model against a base (a branch's merge base, or the model before its last
 * change) must be a step the upgrade rules allow, however the change was made.
 */
import { parseFleet } from '../../model/load.js';
import type { Fleet } from '../../model/schema.js';
import { MODEL_FILE } from '../../render/layout.js';
import { gitExec } from '../../repo/git.js';
import { versionBump } from '../../upgrade/bot-bump.js';
import { checkUpgrade } from '../../upgrade/path.js';
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

/**
 * `model`: calisti.yaml's text, and whether the repo is not what it generates. A supported step made
 * by changing calisti.version alone, never generated (a hosted Renovate pull request: no
 * post-upgrade tasks), gets one finding that names the command making the step on the branch.
 */
export function upgradePathFindings(base: { ref: string; text: string }, fleet: Fleet, model?: { text: string; drifted: boolean }): Finding[] {
  const before = baseFleet(base);
  if (!before) return [];
  const bump = model?.drifted ? versionBump(base.text, model.text) : undefined;
  if (bump && supported(bump.from, bump.to)) {
    return [
      finding(
        'upgrade/path',
        `against ${base.ref}: calisti.version ${bump.from} -> ${bump.to} was changed alone, without the upgrade it needs (control planes, chart, images; a Renovate pull request from hosted Renovate, which cannot run post-upgrade tasks): on this branch run calisti-gitops upgrade --to ${bump.to} (one commit), then push`,
        { file: MODEL_FILE },
      ),
    ];
  }
  return checkTransition(before, fleet).map((p) => finding('upgrade/path', `against ${base.ref}: ${p.message}; ${p.hint}`, { file: MODEL_FILE }));
}

function supported(from: string, to: string): boolean {
  try {
    return checkUpgrade(from, to) !== 'none';
  } catch {
    return false;
  }
}
