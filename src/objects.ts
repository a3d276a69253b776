/** Plain JSON/YAML objects, as every stage reads them: one test for "a map", one way to merge two. */

export type Obj = Record<string, unknown>;

/** A map (not null, not a list). */
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Freezes a value and everything in it: shared between readers, it can no longer be changed by one. */
export function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

/** `over` on top of `base`: maps merge key by key, anything else from `over` wins. Returns new maps. */
export function mergeMaps(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObj(b) && isObj(v) ? mergeMaps(b, v) : v;
  }
  return out;
}

/** Appends `value` to the list `map` holds under `key`, starting the list when there is none. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
