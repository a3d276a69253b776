/**
 * Notes for the person at the terminal from deep inside a run (an interrupted run recovered), without
 * threading an output handle through every writer: the CLI points the sink at its stderr for the run.
 */
let sink: (message: string) => void = (m) => process.stderr.write(`note: ${m}\n`);

export const notice = (message: string): void => sink(message);

/** Sends notes to `fn` until the returned function is called. */
export function captureNotices(fn: (message: string) => void): () => void {
  const previous = sink;
  sink = fn;
  return () => {
    sink = previous;
  };
}
