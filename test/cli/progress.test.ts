import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean) {
  let written = '';
  return { stream: { isTTY, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream, out: () => written };
}

describe('progress', () => {
  it('draws on a terminal and clears the line at the end', () => {
    const ci = process.env.CI;
    delete process.env.CI;
    try {
      const f = fakeStream(true);
      const p = terminalProgress({ quiet: false, format: 'text' }, f.stream);
      p.report('building', 3, 3);
      p.end();
      expect(f.out()).toBe('\r\x1b[2Kbuilding 3/3\r\x1b[2K');
    } finally {
      if (ci !== undefined) process.env.CI = ci;
    }
  });

  it('stays silent off a terminal, with -o json, with --quiet and in CI', () => {
    for (const [tty, opts, env] of [
      [false, { quiet: false, format: 'text' }, undefined],
      [true, { quiet: false, format: 'json' }, undefined],
      [true, { quiet: true, format: 'text' }, undefined],
      [true, { quiet: false, format: 'text' }, 'true'],
    ] as const) {
      const ci = process.env.CI;
      if (env) process.env.CI = env;
      else delete process.env.CI;
      const f = fakeStream(tty);
      const p = terminalProgress(opts, f.stream);
      p.report('building', 1, 2);
      p.end();
      expect(f.out()).toBe('');
      if (ci !== undefined) process.env.CI = ci;
      else delete process.env.CI;
    }
  });
});
