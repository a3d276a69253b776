import { describe, expect, it } from 'vitest';
import { ansi, colourEnabled } from '../../src/cli/colour.js';

describe('colour', () => {
  const tty = { isTTY: true };
  it.each([
    [{}, tty, true],
    [{}, { isTTY: false }, false],
    [{ NO_COLOR: '1' }, tty, false],
    [{ NO_COLOR: '' }, tty, true],
    [{ CI: 'true' }, tty, false],
    [{ TERM: 'dumb' }, tty, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, { isTTY: false }, true],
    [{ FORCE_COLOR: '0' }, tty, true],
  ])('%o on %o: %s', (env, stream, on) => {
    expect(colourEnabled(env as NodeJS.ProcessEnv, stream)).toBe(on);
  });
  it('wraps and resets only what it paints', () => {
    expect(ansi('red', 'ERROR')).toBe('\u001b[31mERROR\u001b[39m');
  });
});
