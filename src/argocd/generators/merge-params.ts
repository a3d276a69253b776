/** How Argo CD combines two parameter sets: mergo with override in goTemplate mode, string maps otherwise. */
import { goValue } from '../gofmt.js';
import { mergeMaps } from '../../objects.js';
import { AppSetError, type Params } from '../types.js';

/** mergo.Merge(dst, src, WithOverride) on parameter maps: nested maps merge, everything else from src wins. */
export const mergeOverride = mergeMaps;

/** utils.CombineStringMaps: both sides printed with %v; a key present in both with different values is an error. */
export function combineStringMaps(a: Params, b: Params): Params {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) out[k] = goValue(v);
  for (const [k, v] of Object.entries(b)) {
    const value = goValue(v);
    if (k in out && out[k] !== value) throw new AppSetError(`found duplicate key ${k} with different value, a: ${out[k]} ,b: ${value}`);
    out[k] = value;
  }
  return out;
}
