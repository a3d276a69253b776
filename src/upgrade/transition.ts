/**
 * Whether a change of the model is one the upgrade rules allow, whoever made it (calisti-gitops
 * upgrade, a person, a bot): a supported Calisti step, and no Istio control plane swapped or
 * dropped under workloads that still use it. Pure: the same rules gate `generate` and `validate`.
 */
import { versionOf } from '../model/rings.js';
import { revisionsOnCluster } from '../model/revisions.js';
import type { Fleet } from '../model/schema.js';
import { checkUpgrade } from './path.js';
import { primaryRevision, workloadRevisionOn, workloads } from './workloads.js';
import { pushTo } from '../objects.js';

export interface TransitionProblem {
  message: string;
  hint: string;
}

export function checkTransition(before: Fleet, after: Fleet): TransitionProblem[] {
  const problems: TransitionProblem[] = [];
  const from = before.calisti.version;
  const to = after.calisti.version;
  try {
    checkUpgrade(from, to);
  } catch (e) {
    const err = e as Error & { hint?: string };
    problems.push({
      message: `calisti.version ${from} -> ${to}: ${err.message}`,
      hint: `set calisti.version back to ${from}, then: ${err.hint ?? `calisti-gitops upgrade --to ${to}`}`,
    });
    return problems;
  }
  // Each cluster, ring by ring: a supported step from the release it ran.
  // Name sets: a fleet has thousands of clusters, and each is looked up once per workload.
  const wasThere = new Set(before.clusters.map((b) => b.name));
  const isThere = new Set(after.clusters.map((a) => a.name));
  for (const c of after.clusters) {
    if (!wasThere.has(c.name)) continue;
    const [was, is] = [versionOf(before, c.name), versionOf(after, c.name)];
    if (was === from && is === to) continue;
    try {
      checkUpgrade(was, is);
    } catch (e) {
      const err = e as Error & { hint?: string };
      problems.push({ message: `cluster ${c.name}: ${was} -> ${is}: ${err.message}`, hint: err.hint ?? `calisti-gitops upgrade --to ${is}` });
    }
  }
  if (problems.length) return problems;
  // A control plane that leaves the model while workloads were on it: an in-place swap or a
  // removal with no canary. `upgrade` keeps the old one; `istio migrate` moves workloads first.
  const used = new Map<string, string[]>();
  for (const w of workloads(before)) {
    const gone = new Map<string, string[]>();
    for (const c of w.clusters) {
      const r = workloadRevisionOn(w, c);
      if (isThere.has(c) && !revisionsOnCluster(after, c).includes(r)) pushTo(gone, r, c);
    }
    for (const [r, on] of gone) pushTo(used, r, `${w.what} (${w.namespace}${on.length < w.clusters.length ? ` on ${on.join(', ')}` : ''})`);
  }
  for (const [revision, users] of used) {
    problems.push({
      message: `Istio control plane ${revision} leaves the fleet while ${users.join(', ')} still use${users.length === 1 ? 's' : ''} it: an in-place Istio swap with no canary`,
      hint:
        from !== to
          ? `set calisti.version back to ${from}, then: calisti-gitops upgrade --to ${to}`
          : `move them first: calisti-gitops istio migrate --namespace <ns> --to ${primaryRevision(after)}`,
    });
  }
  return problems;
}
