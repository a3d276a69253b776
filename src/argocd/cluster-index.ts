/**
 * Clusters by name and by server, built once per cluster list: destinations are looked up for every
 * Application, and a fleet has thousands of both. Rebuilt if the list grows (lists are appended to,
 * never edited in place).
 */
import { pushTo } from '../objects.js';
import type { Cluster } from './types.js';

export interface ClusterIndex {
  /** Every cluster of a name, in list order. */
  byName: Map<string, Cluster[]>;
  /** Every cluster of a server URL, in list order. */
  byServer: Map<string, Cluster[]>;
}

const indexes = new WeakMap<readonly Cluster[], { length: number; index: ClusterIndex }>();

export function clusterIndex(clusters: readonly Cluster[]): ClusterIndex {
  const known = indexes.get(clusters);
  if (known && known.length === clusters.length) return known.index;
  const index: ClusterIndex = { byName: new Map(), byServer: new Map() };
  for (const c of clusters) {
    pushTo(index.byName, c.name, c);
    pushTo(index.byServer, c.server, c);
  }
  indexes.set(clusters, { length: clusters.length, index });
  return index;
}
