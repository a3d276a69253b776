/**
 * Istio across the upgrade (docs 2.4.5, 2.4.7): on a new Istio minor the old control plane is kept
 * and every workload that follows the release is pinned to it, to move over one namespace at a
 * time; on the same minor the sidecars only need a restart.
 */
import { UserError } from '../../errors.js';
import { defaultIstio, defaultRevision, revisionName } from '../../model/blueprint.js';
import { restartCommands, workloads } from '../workloads.js';
import type { StepPlan, UpgradeStep } from './types.js';

export const istioCanary: UpgradeStep = {
  id: 'istio-canary',
  plan({ fleet, to, fromBp, toBp, ring }) {
    const oldPrimary = defaultRevision(fromBp);
    const newPrimary = defaultRevision(toBp);
    const all = workloads(fleet);
    if (oldPrimary === newPrimary) {
      // Only the ring's clusters get the new proxy.
      const ringClusters = ring ? fleet.rings[ring.index]!.clusters : undefined;
      const here = ringClusters ? all.map((w) => ({ ...w, clusters: w.clusters.filter((c) => ringClusters.includes(c)) })) : all;
      return {
        changes: [],
        steps: [`Istio stays on ${newPrimary} (Istio ${defaultIstio(toBp).version})`],
        // Sidecars pick up the new proxy patch level only when their pods restart (docs 2.4.5).
        followUps: restartCommands(here).map((c) => `restart workloads for the new proxy: ${c}`),
      };
    }
    if (!toBp.istio.versions.some((v) => revisionName(v.version) === oldPrimary)) {
      throw new UserError(`Calisti ${to} does not ship ${oldPrimary}, so workloads cannot stay on it during the upgrade`);
    }
    const where = ring ? `the clusters of ring ${ring.name}` : 'every cluster';
    const plan: StepPlan = {
      // An earlier ring kept the old control plane already.
      changes: fleet.istio.revisions.includes(oldPrimary) ? [] : [{ op: 'append', path: ['istio', 'revisions'], value: oldPrimary }],
      steps: [
        `Istio control plane ${newPrimary} (Istio ${defaultIstio(toBp).version}) added next to ${oldPrimary} on ${where}; the Calisti control plane moves to ${newPrimary}`,
      ],
      followUps: [],
    };
    for (const w of all.filter((w) => !w.pinned)) {
      plan.changes.push({ op: 'set', path: w.path, value: oldPrimary });
      plan.steps.push(`namespace ${w.namespace} (${w.what}) stays on ${oldPrimary}`);
    }
    // A ring runs the new control plane on its own clusters only: its namespaces move there.
    const ringClusters = ring ? fleet.rings[ring.index]!.clusters : undefined;
    const here = ringClusters
      ? all.map((w) => ({ ...w, clusters: w.clusters.filter((c) => ringClusters.includes(c)) })).filter((w) => w.clusters.length > 0)
      : all;
    const namespaces = [...new Set(here.map((w) => w.namespace))];
    if (namespaces.length) {
      plan.followUps.push(
        ring
          ? `when ${newPrimary} is healthy on the clusters of ring ${ring.name}, move namespaces there one at a time: calisti-gitops istio migrate --namespace <ns> --to ${newPrimary} --ring ${ring.name} (namespaces: ${namespaces.join(', ')})`
          : `when ${newPrimary} is healthy on every cluster, move namespaces one at a time: calisti-gitops istio migrate --namespace <ns> --to ${newPrimary} (namespaces: ${namespaces.join(', ')})`,
        ...restartCommands(here).map((c) => `after each move, restart its workloads: ${c}`),
        `roll a namespace back with: calisti-gitops istio migrate --namespace <ns> --rollback${ring ? ` --ring ${ring.name}` : ''}`,
      );
    }
    plan.followUps.push(`once nothing uses ${oldPrimary}: calisti-gitops istio prune`);
    return plan;
  },
};
