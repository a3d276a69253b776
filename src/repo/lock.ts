/**
 * One writer per repo: a lock file in .git (never committed) taken by every command that writes.
 * A second run waits for it, then fails with a clear message; a lock left by a killed run (its
 * process is gone) is taken over safely.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

const me = () => ({ pid: process.pid, host: hostname(), started: new Date().toISOString() });

function readInfo(file: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.started === 'string') return { pid: v.pid, host: v.host, started: v.started };
  } catch {
    /* gone or unreadable: the caller retries */
  }
  return undefined;
}

/**
 * The lock appears only fully written: the content goes to a private temp file, then link() makes
 * it visible under the lock name, failing with EEXIST when another run holds it.
 */
function tryTake(root: string): LockInfo | undefined {
  mkdirSync(stateDir(root), { recursive: true });
  const file = lockFile(root);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, JSON.stringify(me()), { flag: 'wx' });
  try {
    linkSync(tmp, file);
    return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  const info = readInfo(file);
  if (!info) return { pid: -1, host: '?', started: '?' }; // released meanwhile: try again
  if (info.host === hostname() && !alive(info.pid)) {
    // Take over a dead run's lock atomically: only the one contender whose rename moves this very
    // file (same content) removes it; the others find it gone or replaced and retry.
    const grave = `${file}.stale.${process.pid}`;
    try {
      renameSync(file, grave);
    } catch {
      return info;
    }
    const moved = readInfo(grave);
    if (moved && moved.pid === info.pid && moved.started === info.started) {
      rmSync(grave, { force: true });
      return tryTake(root);
    }
    // We moved a live lock taken after our read: put it back if nothing replaced it.
    try {
      linkSync(grave, file);
    } catch {
      /* someone else holds it now; theirs stands */
    }
    rmSync(grave, { force: true });
    return info;
  }
  return info;
}

/** Removes the lock only when it is still ours (a takeover after a pause must not be undone by us). */
function release(root: string) {
  const info = readInfo(lockFile(root));
  if (info && info.pid === process.pid && info.host === hostname()) rmSync(lockFile(root), { force: true });
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
      release(root);
    } else held.set(root, d);
  }
}
