/** The few git operations the writer needs, through execFile (argument arrays, never a shell) or simple-git. */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { killOnExit } from '../exit-cleanup.js';
import { join, resolve } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { UserError } from '../errors.js';
import { MODEL_FILE } from '../render/layout.js';

/** The id git reads as "no object": a path to remove from an index, a ref that must not exist yet. */
export const ZERO_ID = '0000000000000000000000000000000000000000';

/** Who commits when the repo has no identity configured (CI runners, PR bots). */
const FALLBACK_IDENTITY = { name: 'calisti-gitops', email: 'calisti-gitops@users.noreply.localhost' };

/**
 * simple-git, for the few callers that want its parsed results. `completion`: done when git's output
 * closes; simple-git otherwise waits 50 ms more after every process exits.
 */
export function git(dir: string, config: string[] = []): SimpleGit {
  return simpleGit({ baseDir: dir, binary: 'git', maxConcurrentProcesses: 1, trimmed: false, config, completion: { onClose: true, onExit: false } });
}

/**
 * Whether `dir` holds a calisti-gitops tree git can commit: a work tree's root, or a folder inside
 * one that has a calisti.yaml (a monorepo, `git.path`).
 */
export async function isRepoRoot(dir: string): Promise<boolean> {
  if (!existsSync(join(dir, '.git'))) return existsSync(join(dir, MODEL_FILE)) && (await repoPrefix(dir)) !== undefined;
  return (await gitExec(dir, ['rev-parse', '--show-toplevel']).catch(() => '')).trim() !== '';
}

/** Where `dir` is inside its git work tree: '' at the root, `a/b` below it; undefined outside any. */
export async function repoPrefix(dir: string): Promise<string | undefined> {
  if (!existsSync(dir)) return undefined;
  const out = await gitExec(dir, ['rev-parse', '--is-inside-work-tree', '--show-prefix']).catch(() => undefined);
  const [inside, prefix] = (out ?? '').split('\n');
  return inside === 'true' ? (prefix ?? '').replace(/\/$/, '') : undefined;
}

export async function initRepo(dir: string): Promise<void> {
  await gitExec(dir, ['init', '--initial-branch=main', '--quiet']);
}

export async function headCommit(dir: string): Promise<string | undefined> {
  return (await gitExec(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim() || undefined;
}

/** What a commit needs from git's configuration, asked once per run. */
export interface CommitSetup {
  /** Identity variables for when git has none configured (CI runners, PR bots). */
  identity: NodeJS.ProcessEnv;
  /** The hooks `git hook run` may find: only these are run through git. */
  hooks: Set<string>;
  /** core.sharedRepository is set: git gives the files it writes in .git the group's modes. */
  sharedRepository: boolean;
}

/** The hooks a commit runs, as `git commit` runs them. */
export const COMMIT_HOOKS = ['pre-commit', 'commit-msg', 'post-commit'] as const;

/**
 * Two git processes, side by side: the configuration (the identity, any hook defined there, a shared repository)
 * and where each hook's file would be (core.hooksPath, a linked worktree's common folder). A hook
 * with neither a file nor any `hook.*` setting is one `git hook run` would not find: its process is
 * saved. A file that is there is left to git, executable or not, as `git commit` leaves it.
 */
export async function commitSetup(dir: string): Promise<CommitSetup> {
  const [config, paths] = await Promise.all([
    // Exit 1 when nothing matches.
    gitExec(dir, ['config', '--get-regexp', '^(user\\.(name|email)|hook\\..+|core\\.sharedrepository)$']).catch(() => ''),
    gitExec(dir, ['rev-parse', ...COMMIT_HOOKS.flatMap((h) => ['--git-path', `hooks/${h}`])]),
  ]);
  const values = new Map<string, string>();
  for (const line of config.split('\n').filter(Boolean)) {
    const space = line.indexOf(' ');
    values.set(space < 0 ? line : line.slice(0, space), space < 0 ? '' : line.slice(space + 1)); // the last one wins, as with --get
  }
  const identity: NodeJS.ProcessEnv = {};
  if (!values.get('user.name')?.trim()) Object.assign(identity, { GIT_AUTHOR_NAME: FALLBACK_IDENTITY.name, GIT_COMMITTER_NAME: FALLBACK_IDENTITY.name });
  if (!values.get('user.email')?.trim()) Object.assign(identity, { GIT_AUTHOR_EMAIL: FALLBACK_IDENTITY.email, GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email });
  const configured = [...values.keys()].some((k) => k.startsWith('hook.'));
  const files = paths.split('\n');
  const hooks = new Set(COMMIT_HOOKS.filter((h, i) => configured || existsSync(resolve(dir, files[i] ?? `.git/hooks/${h}`))));
  const shared = values.get('core.sharedrepository')?.trim().toLowerCase();
  return { identity, hooks, sharedRepository: shared !== undefined && !['', 'false', 'umask', 'no', 'off', '0'].includes(shared) };
}

/**
 * Runs git with an argument array, input on stdin, extra environment; resolves stdout, rejects
 * with git's stderr. Any number of paths go on stdin, never on the command line.
 */
export function gitExec(dir: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['-C', dir, ...args],
      { env: { ...process.env, ...opts.env }, maxBuffer: 1 << 30, encoding: 'utf8' },
      (err, stdout, stderr) => (err ? reject(gitFailure(dir, args, err, stdout, stderr)) : resolve(stdout)),
    );
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input ?? '');
  });
}

/**
 * gitExec with stdin read from a file. The process starts now and reads on its own: a caller that
 * goes on with synchronous work (writing the working tree) has git working beside it, which a pipe
 * fed from this thread would not.
 */
export function gitExecFromFile(dir: string, args: string[], inputFile: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const fd = openSync(inputFile, 'r');
  try {
    const child = spawn('git', ['-C', dir, ...args], { env: { ...process.env, ...env }, stdio: [fd, 'pipe', 'pipe'] });
    killOnExit(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    return new Promise((resolve, reject) => {
      child.on('error', (e) => reject(gitFailure(dir, args, e, stdout, stderr)));
      child.on('close', (code, signal) =>
        code === 0 ? resolve(stdout) : reject(gitFailure(dir, args, { code: code ?? undefined, signal: signal ?? undefined }, stdout, stderr)),
      );
    });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
}

/** A failed git process as the user reads it: git's first line, and what to do (a full disk says so). */
function gitFailure(dir: string, args: string[], err: Error | { code?: unknown; signal?: unknown }, stdout: string, stderr: string): UserError {
  const { code, signal } = err as { code?: unknown; signal?: unknown };
  const detail = stderr.trim() || stdout.trim() || `git ${args[0]} exited with ${String(code ?? signal)}`;
  const full = /out of diskspace|no space left|disk quota/i.test(detail);
  return new UserError(
    `git ${args[0]} failed: ${detail.split('\n')[0]}`,
    full ? 'free disk space, then run the command again: it first finishes or undoes an interrupted run' : `check the repository with: git -C ${dir} status`,
  );
}

/** Blob contents by id from git's object store, in one process; ids git does not have are left out. */
export async function readBlobs(dir: string, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const raw: Buffer = await new Promise((resolve) => {
    const child = execFile('git', ['-C', dir, 'cat-file', '--batch'], { encoding: 'buffer', maxBuffer: 1 << 30 }, (_err, stdout) =>
      resolve(stdout ?? Buffer.alloc(0)),
    );
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

/** A file as HEAD has it, or undefined (no commit yet, or not in it). */
export async function committedFile(dir: string, path: string): Promise<string | undefined> {
  // `./`: relative to dir, which may be a folder inside the repository.
  return gitExec(dir, ['show', `HEAD:./${path}`]).catch(() => undefined);
}
