/**
 * Colour for people at a terminal: on when stderr is a TTY, off with NO_COLOR (no-color.org), in CI,
 * on a dumb terminal, and whenever the output is for machines (-o json/sarif go to stdout uncoloured).
 * FORCE_COLOR turns it on regardless.
 */
const CODES = { red: [31, 39], yellow: [33, 39], green: [32, 39], dim: [2, 22], bold: [1, 22] } as const;
export type Style = keyof typeof CODES;
export type Paint = (style: Style, text: string) => string;

export function colourEnabled(env: NodeJS.ProcessEnv = process.env, stream: { isTTY?: boolean } = process.stderr): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.CI !== undefined || env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export const plain: Paint = (_style, text) => text;
export const ansi: Paint = (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`;

export const painter = (env?: NodeJS.ProcessEnv, stream?: { isTTY?: boolean }): Paint => (colourEnabled(env, stream) ? ansi : plain);
