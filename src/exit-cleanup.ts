/**
 * What a run leaves behind when it is cut short: a signal handler or a fatal error ends the process
 * with process.exit, and no `finally` runs. The 'exit' event still does, synchronously: scratch
 * folders are removed and child processes killed there.
 */
const pending = new Set<() => void>();
let installed = false;

/** Runs `undo` if the process exits before the returned function is called. */
export function untilExit(undo: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const f of pending) {
        try {
          f();
        } catch {
          // the rest still runs
        }
      }
    });
  }
  pending.add(undo);
  return () => pending.delete(undo);
}
