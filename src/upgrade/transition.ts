/**
 * Whether a change of the model is one the upgrade rules allow, whoever made it (calisti-gitops
 * upgrade, a person, a bot): a supported Calisti step, and no Istio control plane swapped or
 * dropped under workloads that still use it. Pure: the same rules gate `generate` and `validate`.
 */
import type { Fleet } from '../model/schema.js';
import { checkUpgrade } from './path.js';
import { primaryRevision, workloads } from './workloads.js';

export interface TransitionProblem {
  message: string;
  hint: string;
}

/** The control planes a model runs: the release's own and the older ones it keeps. */
const revisionsOf = (f: Fleet) => new Set([primaryRevision(f), ...f.istio.revisions]);

export function checkTransition(before: Fleet, after: Fleet): TransitionProblem[] {
  const problems: TransitionProblem[] = [];
  const from = before.calisti.version;
  const to = after.calisti.version;
  try {
    checkUpgrade(from, to);
  } catch (e) {
    const err = e as Error & { hint?: string };
    problems.push({ message: `calisti.version ${from} -> ${to}: ${err.message}`, hint: `set calisti.version back to ${from}, then: ${err.hint ?? `calisti-gitops upgrade --to ${to}`}` });
    return problems;
  }
  // A control plane that leaves the model while workloads were on it: an in-place swap or a
  // removal with no canary. `upgrade` keeps the old one; `istio migrate` moves workloads first.
  const kept = revisionsOf(after);
  const used = new Map<string, string[]>();
  for (const w of workloads(before)) if (!kept.has(w.revision)) used.set(w.revision, [...(used.get(w.revision) ?? []), `${w.what} (${w.namespace})`]);
  for (const [revision, users] of used) {
    problems.push({
      message: `Istio control plane ${revision} leaves the fleet while ${users.join(', ')} still use${users.length === 1 ? 's' : ''} it: an in-place Istio swap with no canary`,
      hint: from !== to ? `set calisti.version back to ${from}, then: calisti-gitops upgrade --to ${to}` : `move them first: calisti-gitops istio migrate --namespace <ns> --to ${primaryRevision(after)}`,
    });
  }
  return problems;
}
