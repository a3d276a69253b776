/**
 * What a run leaves behind when it is cut short: a signal handler or a fatal error ends the process
 * with process.exit, and no `finally` runs. The 'exit' event still does, synchronously: scratch
 * folders are removed and child processes killed there.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export interface ScratchFolder {
  path: string;
  remove: () => void;
}

/** A new folder in `parent` (the system's temp folder), removed by `remove` or, if the run is cut short, at exit. */
export function scratchFolder(prefix: string, parent = tmpdir()): ScratchFolder {
  const path = mkdtempSync(join(parent, prefix));
  const rm = () => rmSync(path, { recursive: true, force: true });
  const forget = untilExit(rm);
  return {
    path,
    remove: () => {
      rm();
      forget();
    },
  };
}

/** Kills `child` if the run is cut short while it runs. */
export function killOnExit(child: ChildProcess): void {
  const forget = untilExit(() => child.kill('SIGKILL'));
  child.once('exit', forget);
}
