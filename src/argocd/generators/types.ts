import type { Templating } from '../replace.js';
import type { EngineContext, Obj, Params } from '../types.js';

/** What every generator sees: the engine context, the ApplicationSet's templating, and Transform for children. */
export interface GeneratorRun extends Templating {
  ctx: EngineContext;
  /** Argo's Transform for a nested generator entry (matrix and merge children). */
  child(entry: Obj, genParams: Params): Params[] | undefined;
  /** Notes that do not fail the set (e.g. an unrecognized generator). */
  warn(message: string): void;
}

/** One generator kind (`list`, `clusters`...): its spec in, parameter sets out; throws AppSetError. */
export interface Generator {
  params(spec: Obj, run: GeneratorRun): Params[];
}
