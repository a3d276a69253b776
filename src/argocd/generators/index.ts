/**
 * The generator registry and Argo CD's Transform: for one generator entry, each generator kind set in
 * it (in Argo's field order) makes parameter sets, rendered first with the parent's parameters (matrix),
 * then filtered by the entry's `selector`. Kinds that need a live service cannot run offline.
 * How to add one: docs/extending.md.
 */
import { flatStrings } from '../gofmt.js';
import { renderEach } from '../render.js';
import { compileSelector } from '../selector.js';
import { AppSetError, isObj, OfflineError, type Obj, type Params } from '../types.js';
import { clusters } from './clusters.js';
import { git } from './git.js';
import { list } from './list.js';
import { matrix } from './matrix.js';
import { merge } from './merge.js';
import type { Generator, GeneratorRun } from './types.js';

/** Argo's ApplicationSetGenerator fields, in struct order; undefined = needs a live service. */
const GENERATORS: [string, Generator | undefined][] = [
  ['list', list],
  ['clusters', clusters],
  ['git', git],
  ['scmProvider', undefined],
  ['clusterDecisionResource', undefined],
  ['pullRequest', undefined],
  ['matrix', matrix],
  ['merge', merge],
  ['plugin', undefined],
];
const KNOWN = new Set([...GENERATORS.map(([k]) => k), 'selector']);

export interface TransformResult {
  params: Params[];
  /** The generator's own `template`, to be merged over the ApplicationSet's. */
  template: Obj | undefined;
}

/** Argo's Transform for one generator entry; throws AppSetError / OfflineError. */
export function transform(entry: Obj, genParams: Params, run: Omit<GeneratorRun, 'child'>): TransformResult[] {
  const unknown = Object.keys(entry).filter((k) => !KNOWN.has(k));
  const relevant = GENERATORS.filter(([k]) => isObj(entry[k]));
  if (relevant.length === 0) run.warn(`unrecognized generator${unknown.length ? `: ${unknown.sort().join(', ')}` : ''}; it makes no Applications`);
  const selector = entry.selector === undefined || entry.selector === null ? undefined : compileSelector(entry.selector);
  const child = (e: Obj, p: Params): Params[] | undefined => {
    let results: TransformResult[];
    try {
      results = transform(e, p, run);
    } catch (err) {
      if (err instanceof AppSetError) throw new AppSetError(`child generator returned an error on parameter generation: ${err.message}`);
      throw err;
    }
    if (results.length === 0) return undefined;
    if (results.length > 1) throw new AppSetError('found more than one generator in matrix.Generators');
    return results[0]!.params;
  };
  return relevant.map(([kind, gen]) => {
    if (!gen) throw new OfflineError(`the ${kind} generator needs a live service and cannot be evaluated offline`);
    const interpolated = Object.keys(genParams).length ? interpolate(entry, genParams, run) : entry;
    const spec = interpolated[kind] as Obj;
    const params = gen.params(spec, { ...run, child });
    return { params: selector ? params.filter((p) => selector(flatStrings(p))) : params, template: isObj(spec.template) ? spec.template : undefined };
  });
}

/**
 * Argo's RenderGeneratorParams: the whole entry rendered with the parent's parameters. A `values` entry
 * that names a key the parent does not have is kept as written, to be rendered by its own generator.
 */
function interpolate(entry: Obj, params: Params, run: Omit<GeneratorRun, 'child'>): Obj {
  const valuesKept: [string, Obj][] = [];
  const stripped: Obj = {};
  for (const [k, v] of Object.entries(entry)) {
    if (isObj(v) && isObj(v.values) && k !== 'list') {
      valuesKept.push([k, v.values]);
      const { values: _values, ...rest } = v;
      stripped[k] = rest;
    } else stripped[k] = v;
  }
  let rendered: Obj;
  try {
    rendered = renderEach([{ value: stripped, params }], run)[0]!;
  } catch (e) {
    if (e instanceof AppSetError) throw new AppSetError(`failed to replace parameters in generator: ${e.message}`);
    throw e;
  }
  const options = [...run.goTemplateOptions.filter((o) => !o.startsWith('missingkey=')), 'missingkey=error'];
  for (const [k, values] of valuesKept) {
    const out: Record<string, string> = {};
    for (const [vk, vv] of Object.entries(values)) {
      const text = String(vv ?? '');
      try {
        out[vk] = renderEach([{ value: text, params }], run.goTemplate ? { ...run, goTemplateOptions: options } : run)[0]!;
      } catch (e) {
        if (!(e instanceof AppSetError)) throw e;
        if (!/map has no entry for key|can't evaluate field/.test(e.message))
          throw new AppSetError(`failed to replace parameters in generator: failed to pre-resolve Values key "${vk}": ${e.message}`);
        out[vk] = text;
      }
    }
    (rendered[k] as Obj).values = out;
  }
  return rendered;
}
