/**
 * What the model places on one cluster, through an index built once per list. Asked cluster by
 * cluster, a 10,000-cluster fleet would otherwise scan every list (and each item's `clusters`) for
 * every cluster. The model is never changed in place, so a list is indexed by its identity.
 */
type Placed = { clusters?: readonly string[] | undefined };

interface ClusterIndex {
  /** Positions in the list of the items naming each cluster, ascending. */
  byCluster: Map<string, number[]>;
  /** Positions of the items without `clusters`. */
  unset: number[];
}

const indexes = new WeakMap<readonly Placed[], ClusterIndex>();

function indexOf(list: readonly Placed[]): ClusterIndex {
  let ix = indexes.get(list);
  if (ix) return ix;
  ix = { byCluster: new Map(), unset: [] };
  list.forEach((item, i) => {
    if (!item.clusters) return void ix.unset.push(i);
    for (const c of item.clusters) {
      const at = ix.byCluster.get(c);
      if (!at) ix.byCluster.set(c, [i]);
      else if (at[at.length - 1] !== i) at.push(i); // a name listed twice places the item once
    }
  });
  indexes.set(list, ix);
  return ix;
}

/**
 * The items of `list` placed on `cluster`, in list order: those whose `clusters` name it, and those
 * without `clusters` when `unset` is 'all' (a namespace on every cluster).
 */
export function placedOn<T extends Placed>(list: readonly T[], cluster: string, unset: 'all' | 'none' = 'none'): T[] {
  const ix = indexOf(list);
  const named = ix.byCluster.get(cluster) ?? [];
  if (unset === 'none' || ix.unset.length === 0) return named.map((i) => list[i]!);
  return [...named, ...ix.unset].sort((a, b) => a - b).map((i) => list[i]!);
}

const keyed = new WeakMap<readonly object[], Map<PropertyKey, Map<string, object>>>();

/** The first item of `list` whose `key` field is `value` (a demo app's placement by cluster). */
export function findBy<T extends object, K extends keyof T>(list: readonly T[], key: K, value: string): T | undefined {
  let byKey = keyed.get(list);
  if (!byKey) keyed.set(list, (byKey = new Map()));
  let map = byKey.get(key);
  if (!map) {
    map = new Map();
    for (const item of list) {
      const k = item[key];
      if (typeof k === 'string' && !map.has(k)) map.set(k, item);
    }
    byKey.set(key, map);
  }
  return map.get(value) as T | undefined;
}
