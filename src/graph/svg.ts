/** SVG without a browser: Graphviz compiled to WebAssembly (@viz-js/viz) lays out the DOT text. */
import { instance } from '@viz-js/viz';
import { UserError } from '../errors.js';

export async function dotToSvg(dot: string): Promise<string> {
  const r = (await instance()).render(dot, { format: 'svg' });
  if (r.status !== 'success') throw new UserError(`graphviz could not lay out the graph: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.output;
}
