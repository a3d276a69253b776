/**
 * One writer per repo: a lock file in .git (never committed) taken by every command that writes.
 * A second run waits for it, then fails with a clear message; a lock left by a killed run (its
 * process is gone) is taken over safely.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export const stateDir = (root: string) => join(root, '.git', 'calisti-gitops');
/** kustomize build results by content hash (validate, diff). */
export const buildCacheDir = (root: string) => join(stateDir(root), 'build-cache');
const lockFile = (root: string) => join(stateDir(root), 'lock');
const held = new Map<string, number>();

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryTake(root: string): LockInfo | undefined {
  mkdirSync(stateDir(root), { recursive: true });
  try {
    const fd = openSync(lockFile(root), 'wx');
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }));
    closeSync(fd);
    return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  let info: LockInfo;
  try {
    info = JSON.parse(readFileSync(lockFile(root), 'utf8'));
  } catch {
    // Half-written by a run killed while taking it: only a dead run leaves that.
    info = { pid: -1, host: hostname(), started: '?' };
  }
  if (info.host === hostname() && (info.pid === -1 || !alive(info.pid))) {
    rmSync(lockFile(root), { force: true });
    return tryTake(root);
  }
  return info;
}

/** Runs fn holding the repo lock; re-entrant within one process. */
export async function withRepoLock<T>(root: string, fn: () => Promise<T>, waitMs = Number(process.env.CALISTI_GITOPS_LOCK_WAIT_MS ?? 30_000)): Promise<T> {
  const depth = held.get(root) ?? 0;
  if (depth === 0) {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const other = tryTake(root);
      if (!other) break;
      if (Date.now() >= deadline) {
        throw new UserError(
          `another calisti-gitops run holds this repo (pid ${other.pid} on ${other.host}, since ${other.started})`,
          `wait for it to finish; if no run is active, remove ${lockFile(root)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  held.set(root, depth + 1);
  try {
    return await fn();
  } finally {
    const d = held.get(root)! - 1;
    if (d === 0) {
      held.delete(root);
      if (existsSync(lockFile(root))) rmSync(lockFile(root), { force: true });
    } else held.set(root, d);
  }
}
