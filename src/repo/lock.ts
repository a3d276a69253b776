/**
 * One writer per repo: a lock file in the git folder (never committed) taken by every command that
 * writes. It appears atomically, already complete (written to a temp file, then `link`ed into
 * place, which fails if a lock exists), so a contender never reads a half-written lock and takes
 * it for dead. Only its owner removes it. A lock left by a killed run (its process is gone) is
 * taken over by renaming it away first, so two contenders cannot both take it over.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { commonGitDir, gitDir } from './gitdir.js';

export const stateDir = (root: string) => join(gitDir(root), 'calisti-gitops');
/** An interrupted writer's record of what to put back (journal.ts); its own path so a quick check needs no writer code. */
export const journalPath = (root: string) => join(stateDir(root), 'journal.json');
/** kustomize build results by content hash (validate, diff). */
/** Shared by every worktree (the pre-push hook validates in a temporary one): content-addressed, so safe to share. */
export const buildCacheDir = (root: string) => join(commonGitDir(root), 'calisti-gitops', 'build-cache');
const lockFile = (root: string) => join(stateDir(root), 'lock');
/** Locks this process holds: root -> [depth, the lock's content]. */
const held = new Map<string, { depth: number; token: string }>();

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  nonce?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const readLock = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Takes the lock (returns its token) or says who holds it. */
function tryTake(root: string): { token: string } | { holder: LockInfo } {
  const dir = stateDir(root);
  mkdirSync(dir, { recursive: true });
  const token = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  } satisfies LockInfo);
  const tmp = join(dir, `lock.${process.pid}.${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, token);
  try {
    linkSync(tmp, lockFile(root));
    return { token };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  const seen = readLock(lockFile(root));
  if (seen === undefined) return tryTake(root); // released meanwhile
  let holder: LockInfo;
  try {
    holder = JSON.parse(seen) as LockInfo;
  } catch {
    holder = { pid: -1, host: hostname(), started: '?' }; // not ours to read: an older format
  }
  if (holder.host === hostname() && !alive(holder.pid)) {
    // Take the dead run's lock out of the way; only one contender's rename finds it.
    const moved = join(dir, `lock.stale.${process.pid}`);
    try {
      renameSync(lockFile(root), moved);
    } catch {
      return tryTake(root);
    }
    const taken = readLock(moved);
    rmSync(moved, { force: true });
    // Someone else took over between our read and our rename: put theirs back if we can.
    if (taken !== seen && taken !== undefined) {
      try {
        writeFileSync(moved, taken);
        linkSync(moved, lockFile(root));
      } catch {
        // A third run holds it now; the displaced owner never removes a lock that is not its own.
      } finally {
        rmSync(moved, { force: true });
      }
    }
    return tryTake(root);
  }
  return { holder };
}

/** Runs fn holding the repo lock; re-entrant within one process. */
export async function withRepoLock<T>(root: string, fn: () => Promise<T>, waitMs = Number(process.env.CALISTI_GITOPS_LOCK_WAIT_MS ?? 30_000)): Promise<T> {
  const mine = held.get(root);
  if (mine) {
    mine.depth++;
  } else {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const r = tryTake(root);
      if ('token' in r) {
        held.set(root, { depth: 1, token: r.token });
        break;
      }
      if (Date.now() >= deadline) {
        throw new UserError(
          `another calisti-gitops run holds this repo (pid ${r.holder.pid} on ${r.holder.host}, since ${r.holder.started})`,
          `wait for it to finish; if no run is active: rm ${lockFile(root)}`,
        );
      }
      await new Promise((res) => setTimeout(res, 50 + Math.floor(Math.random() * 100)));
    }
  }
  try {
    return await fn();
  } finally {
    const h = held.get(root)!;
    if (--h.depth === 0) {
      held.delete(root);
      // Only the owner removes the lock, and only its own.
      if (readLock(lockFile(root)) === h.token) rmSync(lockFile(root), { force: true });
    }
  }
}
