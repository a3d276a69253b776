/** Generator `values`: each rendered with the parameters the generator already made (never with other values). */
import { goStrings } from '../gotemplate/index.js';
import { replaceAll, type Templating } from '../replace.js';
import { AppSetError, isObj, type Params } from '../types.js';

export function withValues(sets: Params[], values: unknown, t: Templating): Params[] {
  if (!isObj(values) || Object.keys(values).length === 0) return sets;
  const keys = Object.keys(values);
  let rendered: string[];
  try {
    rendered = replaceAll(
      sets.flatMap((params) => keys.map((k) => ({ template: String(values[k] ?? ''), params }))),
      t,
    );
  } catch (e) {
    if (e instanceof AppSetError)
      throw new AppSetError(`failed to replace templated string: failed to replace templated string with rendered values: ${e.message}`);
    throw e;
  }
  return sets.map((params, i) => {
    const mine = Object.fromEntries(keys.map((k, j) => [k, rendered[i * keys.length + j]!]));
    if (t.goTemplate) return { ...params, values: goStrings(mine) }; // map[string]string in Argo
    return { ...params, ...Object.fromEntries(Object.entries(mine).map(([k, v]) => [`values.${k}`, v])) };
  });
}
