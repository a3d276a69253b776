/** The few git operations the writer needs, through simple-git (argument arrays, never a shell). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { UserError } from '../errors.js';

/** Who commits when the repo has no identity configured (CI runners, PR bots). */
const FALLBACK_IDENTITY = { name: 'calisti-gitops', email: 'calisti-gitops@users.noreply.localhost' };

export function git(dir: string, config: string[] = []): SimpleGit {
  return simpleGit({ baseDir: dir, binary: 'git', maxConcurrentProcesses: 1, trimmed: false, config });
}

export async function isRepoRoot(dir: string): Promise<boolean> {
  if (!existsSync(join(dir, '.git'))) return false;
  return (await git(dir).revparse(['--show-toplevel']).catch(() => '')).trim() !== '';
}

export async function initRepo(dir: string): Promise<void> {
  await git(dir).init(['--initial-branch=main', '--quiet']);
}

export async function headCommit(dir: string): Promise<string | undefined> {
  try {
    return (await git(dir).revparse(['--verify', '--quiet', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `-c` settings that give a commit an identity when git has none configured. */
async function identityConfig(g: SimpleGit): Promise<string[]> {
  const has = async (key: string) => (await g.raw(['config', '--get', key]).catch(() => '')).trim() !== '';
  const config: string[] = [];
  if (!(await has('user.name'))) config.push(`user.name=${FALLBACK_IDENTITY.name}`);
  if (!(await has('user.email'))) config.push(`user.email=${FALLBACK_IDENTITY.email}`);
  return config;
}

/**
 * Commit exactly these paths (written or deleted), leaving anything else the user has staged alone.
 * Returns the new commit, or undefined when the paths hold no change against HEAD.
 */
export async function commitPaths(dir: string, paths: string[], message: string): Promise<string | undefined> {
  const g = git(dir);
  const present = paths.filter((p) => existsSync(join(dir, p)));
  const gone = paths.filter((p) => !existsSync(join(dir, p)));
  if (present.length) await g.raw(['add', '-A', '--', ...present]);
  if (gone.length) await g.raw(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...gone]);
  const tracked = (await g.raw(['ls-files', '--', ...paths])).split('\n').filter(Boolean);
  const head = await headCommit(dir);
  const staged = head
    ? (await g.raw(['diff', '--cached', '--name-only', 'HEAD', '--', ...paths])).trim()
    : tracked.join('\n');
  if (!staged) return undefined;
  // `--only` semantics: only these paths go into the commit.
  const goneFromHead = head && gone.length ? (await g.raw(['ls-tree', '-r', '--name-only', 'HEAD', '--', ...gone])).split('\n').filter(Boolean) : [];
  const pathspec = [...tracked, ...goneFromHead];
  try {
    await git(dir, await identityConfig(g)).raw(['commit', '--quiet', '-m', message, '--', ...pathspec]);
  } catch (e) {
    throw new UserError(`git commit failed: ${(e as Error).message.trim()}`);
  }
  // simple-git reports a failure only when git wrote to stderr; a hook can fail silently.
  const after = await headCommit(dir);
  if (after === head) throw new UserError('git commit failed (a commit hook refused it without a message)');
  return after;
}

/** Undo the staging `commitPaths` did, after a failed run. */
export async function unstage(dir: string, paths: string[]): Promise<void> {
  const g = git(dir);
  if (await headCommit(dir)) await g.raw(['reset', '--quiet', 'HEAD', '--', ...paths]).catch(() => undefined);
  else await g.raw(['rm', '--cached', '--quiet', '--ignore-unmatch', '-r', '--', ...paths]).catch(() => undefined);
}

/** Blob contents by id from git's object store, in one process; ids git does not have are left out. */
export async function readBlobs(dir: string, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const { execFile } = await import('node:child_process');
  const raw: Buffer = await new Promise((resolve) => {
    const child = execFile('git', ['-C', dir, 'cat-file', '--batch'], { encoding: 'buffer', maxBuffer: 1 << 30 }, (_err, stdout) => resolve(stdout ?? Buffer.alloc(0)));
    child.stdin!.end(`${ids.join('\n')}\n`);
  });
  let pos = 0;
  for (const id of ids) {
    const nl = raw.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = raw.subarray(pos, nl).toString();
    pos = nl + 1;
    const m = /^([0-9a-f]{40}) blob (\d+)$/.exec(header);
    if (!m) continue; // "<id> missing"
    const size = Number(m[2]);
    out.set(id, raw.subarray(pos, pos + size).toString('utf8'));
    pos += size + 1;
  }
  return out;
}
