/** The mesh workloads a model places on Istio control planes, with where their revision lives. */
import { blueprintFor, defaultRevision } from '../model/blueprint.js';
import { meshWorkloads } from '../model/revisions.js';
import type { Fleet } from '../model/schema.js';

export interface Workload {
  namespace: string;
  what: string;
  /** Path of its `revision` field in calisti.yaml. */
  path: (string | number)[];
  clusters: string[];
  /** The control plane it uses now, where no cluster names another. */
  revision: string;
  /** Whether calisti.yaml names the revision (false: it follows the release's own). */
  pinned: boolean;
  /** Clusters on another control plane than `revision` (clusterRevisions, a migration rolling out). */
  byCluster: Record<string, string>;
}

export const primaryRevision = (fleet: Fleet) => defaultRevision(blueprintFor(fleet.calisti.version));

export function workloads(fleet: Fleet): Workload[] {
  const primary = primaryRevision(fleet);
  return meshWorkloads(fleet).map((w) => ({
    namespace: w.namespace,
    what: w.what,
    path: [...w.path, 'revision'],
    clusters: w.clusters,
    revision: w.revision ?? primary,
    pinned: w.revision !== undefined,
    byCluster: { ...w.clusterRevisions },
  }));
}

/** The control plane a workload uses on one of its clusters. */
export const workloadRevisionOn = (w: Workload, cluster: string): string => w.byCluster[cluster] ?? w.revision;

/** Every control plane a workload uses, on any of its clusters. */
export const revisionsOf = (w: Workload): string[] => [...new Set(w.clusters.map((c) => workloadRevisionOn(w, c)))];

/** `kubectl rollout restart` per cluster and namespace: what GitOps cannot do (docs 2.4.5, 2.4.7). */
export function restartCommands(list: Workload[]): string[] {
  const pairs = new Set<string>();
  for (const w of list)
    if (!w.what.startsWith('gateway')) for (const c of w.clusters) pairs.add(`kubectl --context ${c} rollout restart deployment -n ${w.namespace}`);
  return [...pairs].sort();
}
