/** The matrix generator: every parameter set of the first child combined with the second child's, rendered with it. */
import { AppSetError, isObj, type Params } from '../types.js';
import type { Generator, GeneratorRun } from './types.js';
import { combineStringMaps, mergeOverride } from './merge-params.js';

function childParams(entry: unknown, genParams: Params, run: GeneratorRun): Params[] {
  const params = run.child(isObj(entry) ? entry : {}, genParams);
  if (params === undefined) throw new AppSetError('child generator generated no parameters');
  return params;
}

export const matrix: Generator = {
  params(spec, run) {
    const gens = Array.isArray(spec.generators) ? spec.generators : [];
    if (gens.length < 2) throw new AppSetError('found less than two generators, Matrix support only two');
    if (gens.length > 2) throw new AppSetError('found more than two generators, Matrix support only two');
    const out: Params[] = [];
    const first = wrap('error failed to get params for first generator in matrix generator', () => childParams(gens[0], {}, run));
    for (const a of first) {
      const second = wrap('failed to get params for second generator in the matrix generator', () => childParams(gens[1], a, run));
      for (const b of second) out.push(run.goTemplate ? mergeOverride(mergeOverride({}, b), a) : combineStringMaps(a, b));
    }
    return out;
  },
};

function wrap<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AppSetError) throw new AppSetError(`${prefix}: ${e.message}`);
    throw e;
  }
}
