/** The list generator: `elements` (strings only in fasttemplate mode) and `elementsYaml`, appended as parsed. */
import { parse } from 'yaml';
import { AppSetError, isObj, type Obj, type Params } from '../types.js';
import type { Generator } from './types.js';

// Argo formats a nil error with %w here, so its message really reads like this.
const notAString = (i: number, key: string, v: unknown): AppSetError =>
  new AppSetError(`error parsing value as string %!w(<nil>) (element ${i}, ${key}: ${JSON.stringify(v)} is not a string; quote it, or use goTemplate: true)`);

export const list: Generator = {
  params(spec, run) {
    const elements = Array.isArray(spec.elements) ? spec.elements : [];
    const out: Params[] = elements.map((el, i) => {
      if (el === null) return {};
      if (!isObj(el)) throw new AppSetError(`error unmarshling list element json: cannot unmarshal ${typeof el} into Go value of type map[string]interface {}`);
      if (run.goTemplate) return el;
      const params: Params = {};
      for (const [k, v] of Object.entries(el)) {
        if (k === 'values') {
          if (!isObj(v)) throw new AppSetError('error parsing values map');
          for (const [vk, vv] of Object.entries(v)) {
            if (typeof vv !== 'string') throw notAString(i, `values.${vk}`, vv);
            params[`values.${vk}`] = vv;
          }
        } else if (typeof v === 'string') params[k] = v;
        else throw notAString(i, k, v);
      }
      return params;
    });
    if (typeof spec.elementsYaml === 'string' && spec.elementsYaml !== '') out.push(...elementsYaml(spec.elementsYaml));
    return out;
  },
};

function elementsYaml(text: string): Params[] {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (e) {
    throw new AppSetError(`error unmarshling decoded ElementsYaml error converting YAML to JSON: ${(e as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return [];
  if (!Array.isArray(parsed) || !parsed.every((p) => p === null || isObj(p))) {
    throw new AppSetError(
      'error unmarshling decoded ElementsYaml error unmarshaling JSON: json: cannot unmarshal into Go value of type []map[string]interface {}',
    );
  }
  return parsed.map((p: Obj | null) => p ?? {});
}
