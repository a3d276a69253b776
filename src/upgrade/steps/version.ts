/**
 * The release itself: calisti.version, which brings the new chart and images with it; or, with
 * --ring, that ring's version. When the last ring arrives, calisti.version follows and the rings'
 * versions go: the model is back in its one-release form.
 */
import { compareVersions } from '../../model/blueprint.js';
import { versionOf } from '../../model/rings.js';
import type { ModelChange, UpgradeStep } from './types.js';

export const version: UpgradeStep = {
  id: 'version',
  plan: ({ fleet, from, to, fromBp, toBp, ring }) => {
    const steps = [`smm-operator chart ${fromBp.chart.version} -> ${toBp.chart.version}`];
    const clearRings = (keep: (v: string) => boolean): ModelChange[] =>
      fleet.rings.flatMap((r, i) => (r.version !== undefined && !keep(r.version) ? [{ op: 'delete' as const, path: ['rings', i, 'version'] }] : []));
    if (ring) {
      const after = (c: string) => (fleet.rings[ring.index]!.clusters.includes(c) ? to : versionOf(fleet, c));
      if (fleet.clusters.every((c) => after(c.name) === to)) {
        // The last ring: the fleet is on one release again.
        return {
          changes: [{ op: 'set', path: ['calisti', 'version'], value: to }, ...clearRings(() => false)],
          steps: [`ring ${ring.name} ${from} -> ${to}, the last one: calisti.version ${fleet.calisti.version} -> ${to}`, ...steps],
          followUps: [],
        };
      }
      const rest = fleet.rings.filter((r, i) => i !== ring.index && versionOf(fleet, r.clusters[0]!) !== to).map((r) => r.name);
      return {
        changes: [{ op: 'set', path: ['rings', ring.index, 'version'], value: to }],
        steps: [`ring ${ring.name} (${fleet.rings[ring.index]!.clusters.join(', ')}) ${from} -> ${to}`, ...steps],
        followUps: [
          `when ring ${ring.name} is healthy: ${rest.length ? `calisti-gitops upgrade --to ${to} --ring ${rest[0]}` : `calisti-gitops upgrade --to ${to}`}`,
        ],
      };
    }
    // The whole fleet: rings already further ahead stay there.
    return {
      changes: [{ op: 'set', path: ['calisti', 'version'], value: to }, ...clearRings((v) => compareVersions(v, to) > 0)],
      steps: [`calisti.version ${from} -> ${to}`, ...steps],
      followUps: [],
    };
  },
};
