/**
 * Progress for long runs: one rewritten line on stderr, only on a terminal, never with -o json,
 * --quiet or in CI (the CI environment variable), so logs and machine output stay clean.
 */
export type OnProgress = (phase: string, done?: number, total?: number) => void;

export function terminalProgress(
  opts: { quiet: boolean; format: string },
  stream: NodeJS.WriteStream = process.stderr,
): { report: OnProgress; end: () => void } {
  const on = !opts.quiet && opts.format === 'text' && stream.isTTY === true && !process.env.CI;
  let last = 0;
  let shown = false;
  return {
    report: (phase, done, total) => {
      if (!on) return;
      const now = Date.now();
      if (done !== undefined && total !== undefined && done < total && now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${phase}${total ? ` ${done}/${total}` : ''}`);
    },
    end: () => {
      if (on && shown) stream.write('\r\x1b[2K');
    },
  };
}
