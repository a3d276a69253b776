/**
 * topology/network-change: against the same base as upgrade/path, a cluster of both models moves to
 * another network. Istio keeps an attached cluster on the network it joined with: changing the
 * network label is not enough, the cluster must be detached and attached again (docs 2.7.1.1).
 */
import type { Fleet } from '../../model/schema.js';
import { MODEL_FILE } from '../../render/layout.js';
import { finding, type Finding } from '../findings.js';

const networkOf = (c: Fleet['clusters'][number]) => c.network ?? c.name;

export function networkChangeFindings(ref: string, before: Fleet, fleet: Fleet): Finding[] {
  const was = new Map(before.clusters.map((c) => [c.name, networkOf(c)]));
  return fleet.clusters.flatMap((c) => {
    const old = was.get(c.name);
    if (old === undefined || old === networkOf(c)) return [];
    return [
      finding(
        'topology/network-change',
        `against ${ref}: cluster ${c.name} moves from network ${old} to ${networkOf(c)}; an attached cluster keeps its network until it is detached and re-attached (docs 2.7.1.1): after the sync run smm istio cluster detach and smm istio cluster attach --network-name ${networkOf(c)} for it on the active cluster`,
        { file: MODEL_FILE },
      ),
    ];
  });
}
