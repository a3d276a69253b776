/** The merge generator: the first child's parameter sets, overridden by later children's sets with equal merge keys. */
import { AppSetError, isObj, type Params } from '../types.js';
import type { Generator } from './types.js';
import { mergeOverride } from './merge-params.js';

// Go's json.Marshal of a map: keys sorted, nil as null.
const keyOf = (params: Params, keys: string[]): string => JSON.stringify(Object.fromEntries(keys.map((k) => [k, params[k] ?? null])));

function byMergeKey(keys: string[], sets: Params[]): Map<string, Params> {
  if (keys.length < 1) throw new AppSetError('error getting param sets by merge key: no merge keys were specified, Merge requires at least one');
  const out = new Map<string, Params>();
  for (const p of sets) {
    const key = keyOf(p, keys);
    if (out.has(key))
      throw new AppSetError(
        `error getting param sets by merge key: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${key}`,
      );
    out.set(key, p);
  }
  return out;
}

export const merge: Generator = {
  params(spec, run) {
    const gens = Array.isArray(spec.generators) ? spec.generators : [];
    if (gens.length < 2) throw new AppSetError('found less than two generators, Merge requires two or more');
    const keys = [...new Set((Array.isArray(spec.mergeKeys) ? spec.mergeKeys : []).map(String))].sort();
    const sets = gens.map((g, i) => {
      const params = run.child(isObj(g) ? g : {}, {});
      if (params === undefined)
        throw new AppSetError(
          `error getting param sets from generators: error getting params from generator ${i + 1} of ${gens.length}: child generator generated no parameters`,
        );
      return params;
    });
    const base = byMergeKey(keys, sets[0]!);
    for (const other of sets.slice(1)) {
      const overrides = byMergeKey(keys, other);
      for (const [key, params] of base) {
        const o = overrides.get(key);
        if (o) base.set(key, run.goTemplate ? mergeOverride(params, o) : { ...params, ...o });
      }
    }
    return [...base.values()];
  },
};
