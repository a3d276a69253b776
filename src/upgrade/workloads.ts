/** The mesh workloads a model places on Istio control planes, with where their revision lives. */
import { blueprintFor, defaultRevision } from '../model/blueprint.js';
import type { Fleet } from '../model/schema.js';

export interface Workload {
  namespace: string;
  what: string;
  /** Path of its `revision` field in calisti.yaml. */
  path: (string | number)[];
  clusters: string[];
  /** The control plane it uses now. */
  revision: string;
  /** Whether calisti.yaml names the revision (false: it follows the release's own). */
  pinned: boolean;
}

export const primaryRevision = (fleet: Fleet) => defaultRevision(blueprintFor(fleet.calisti.version));

export function workloads(fleet: Fleet): Workload[] {
  const primary = primaryRevision(fleet);
  const all = fleet.clusters.map((c) => c.name);
  const out: Workload[] = [];
  if (fleet.demoApp) {
    out.push({
      namespace: fleet.demoApp.namespace,
      what: 'demo app',
      path: ['demoApp', 'revision'],
      clusters: fleet.demoApp.placement.map((p) => p.cluster),
      revision: fleet.demoApp.revision ?? primary,
      pinned: fleet.demoApp.revision !== undefined,
    });
  }
  fleet.gateways.forEach((g, i) =>
    out.push({
      namespace: g.namespace,
      what: `gateway ${g.name}`,
      path: ['gateways', i, 'revision'],
      clusters: g.clusters,
      revision: g.revision ?? primary,
      pinned: g.revision !== undefined,
    }),
  );
  fleet.namespaces.forEach((n, i) =>
    out.push({
      namespace: n.name,
      what: 'namespace',
      path: ['namespaces', i, 'revision'],
      clusters: n.clusters ?? all,
      revision: n.revision ?? primary,
      pinned: n.revision !== undefined,
    }),
  );
  return out;
}

/** `kubectl rollout restart` per cluster and namespace: what GitOps cannot do (docs 2.4.5, 2.4.7). */
export function restartCommands(list: Workload[]): string[] {
  const pairs = new Set<string>();
  for (const w of list)
    if (!w.what.startsWith('gateway')) for (const c of w.clusters) pairs.add(`kubectl --context ${c} rollout restart deployment -n ${w.namespace}`);
  return [...pairs].sort();
}
