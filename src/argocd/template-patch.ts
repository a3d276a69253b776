/**
 * `templatePatch`: rendered as one string with the parameters, read as YAML (or JSON), and applied to the
 * generated Application as a strategic merge patch: maps merge, `null` deletes, lists are replaced
 * except `metadata.finalizers` (merged, as ObjectMeta declares). The project cannot be changed by it.
 */
import { parse } from 'yaml';
import { replaceAll, type Templating } from './replace.js';
import { AppSetError, isObj, type Obj, type Params } from './types.js';

function strategicMerge(target: Obj, patch: Obj, path: string[]): Obj {
  const out: Obj = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObj(v) && isObj(out[k])) out[k] = strategicMerge(out[k] as Obj, v, [...path, k]);
    else if (Array.isArray(v) && path.join('.') === 'metadata' && k === 'finalizers' && Array.isArray(out[k])) {
      out[k] = [...new Set([...(out[k] as unknown[]), ...v])];
    } else out[k] = v;
  }
  return out;
}

/** Renders the patch once per parameter set, in one batch (Go templates pay a fixed cost per batch). */
export function renderPatches(patchTemplate: string, paramSets: Params[], t: Templating): string[] {
  try {
    return replaceAll(
      paramSets.map((params) => ({ template: patchTemplate, params })),
      t,
    );
  } catch (e) {
    if (e instanceof AppSetError) throw new AppSetError(`error replacing values in templatePatch: ${e.message}`);
    throw e;
  }
}

/** Applies one rendered patch to a generated Application. */
export function applyTemplatePatch(app: Obj, text: string): Obj {
  let patch: unknown;
  try {
    patch = parse(text);
  } catch (e) {
    throw new AppSetError(`error while converting template to json ${JSON.stringify(text)}: ${(e as Error).message}`);
  }
  if (patch === null || patch === undefined) return app;
  if (!isObj(patch)) throw new AppSetError(`invalid templatePatch ${JSON.stringify(text)}: json: cannot unmarshal into Go value of type v1alpha1.Application`);
  const patched = strategicMerge(app, patch, []);
  const project = isObj(app.spec) ? app.spec.project : undefined;
  const spec: Obj = isObj(patched.spec) ? { ...patched.spec } : {};
  if (project === undefined) delete spec.project;
  else spec.project = project;
  return { ...patched, spec };
}
