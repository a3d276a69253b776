/**
 * A warm validate: the last report, reused when nothing it was computed from has changed. The key
 * covers every input validate reads:
 * - the repo, as git sees it: HEAD, every ref (a base may be any of them), and the content of each
 *   file `git status` lists as changed or untracked (git's index answers from size and mtime, and
 *   hashes when they disagree);
 * - the toolkit (its code, blueprints, overlays and schemas, by path, size and mtime), the kustomize
 *   binary, the schema catalogue's cache and any --crds files;
 * - the options that change findings.
 * Files git ignores are not part of the key: Argo CD never sees them either.
 * Runs that fetch remote bases are never reused (their input is the network).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildMemoryMiB, findKustomize } from '../kustomize/build.js';
import { rememberFile, repoFingerprint, statPath, toolkitFingerprint } from '../repo/fingerprint.js';
import { buildCacheDir } from '../repo/lock.js';
import { schemaCacheDir } from './cache-root.js';
import type { ValidateOptions, ValidateReport } from './index.js';

/**
 * `runValidate`, unless nothing changed since the last run with the same options: then that run's
 * report, without loading the validator (most of a warm run's time was loading it).
 */
export async function validateRepo(opts: ValidateOptions): Promise<ValidateReport> {
  const root = resolve(opts.dir);
  const cacheDir = opts.cacheDir === null ? undefined : (opts.cacheDir ?? defaultCacheDir(root));
  const key = cacheDir && !opts.allowRemote ? memoKey(memoInputs(root, opts)) : undefined;
  const last = key ? readMemo<ValidateReport>(cacheDir!, key) : undefined;
  if (last) {
    const s = last.summary;
    return { ...last, dir: root, summary: { ...s, builds: 0, cachedBuilds: s.builds + s.cachedBuilds, reused: true } };
  }
  const { runValidate, unrepeatable } = await import('./index.js');
  const report = await runValidate({ ...opts, cacheDir: cacheDir ?? null });
  if (key && !unrepeatable.has(report)) writeMemo(cacheDir!, key, report);
  return report;
}

/** The build cache of a repository checkout (shared by its worktrees); none outside git. */
export function defaultCacheDir(root: string): string | undefined {
  return existsSync(join(root, '.git')) ? buildCacheDir(root) : undefined;
}

/** What a report depends on besides the repo and the toolkit. */
interface MemoInputs {
  root: string;
  strict: boolean;
  crds: string[];
  base?: string;
  validateRoot?: string;
  shard?: { index: number; count: number };
  shareShapes?: boolean;
  kustomize: string;
  /** The builds' memory cap: a build the cap stopped may pass under a higher one. */
  buildMemoryMiB: number;
}

function memoInputs(root: string, opts: ValidateOptions): MemoInputs | undefined {
  const { strict, crds, base, root: validateRoot, shard, shareShapes } = opts;
  let kustomize: string;
  try {
    kustomize = findKustomize().command;
  } catch {
    // runValidate says what is missing.
    return undefined;
  }
  return { root, kustomize, strict, crds, base, validateRoot, shard, shareShapes, buildMemoryMiB: buildMemoryMiB() };
}

/** Bump when the report's shape or the key's recipe changes. */
const RECIPE = 'validate-memo/2';

/**
 * The key of a validate run over `root`, or undefined when git cannot say what the tree holds (not a
 * repository, git missing): then nothing is reused.
 */
function memoKey(inputs: MemoInputs | undefined): string | undefined {
  if (!inputs) return undefined;
  const h = createHash('sha256');
  h.update(`${RECIPE}\n${toolkitFingerprint()}\n`);
  const { root, kustomize, crds, ...options } = inputs;
  h.update(`${JSON.stringify(options)}\n`);
  statPath(h, kustomize);
  statPath(h, schemaCacheDir());
  for (const c of crds) statPath(h, resolve(c));
  const repo = repoFingerprint(root);
  if (!repo) return undefined;
  h.update(repo);
  return h.digest('hex');
}

const memoFile = (cacheDir: string, key: string) => join(cacheDir, 'reports', `${key}.json`);

/** The report stored under `key`, if any. */
function readMemo<T>(cacheDir: string, key: string): T | undefined {
  try {
    return JSON.parse(readFileSync(memoFile(cacheDir, key), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Stores `report` under `key`, keeping the KEEP newest (a few branches, worktrees and shards). */
function writeMemo(cacheDir: string, key: string, report: unknown): void {
  if (rememberFile(memoFile(cacheDir, key), JSON.stringify(report))) prune(join(cacheDir, 'reports'));
}

const KEEP = 16;

function prune(dir: string): void {
  const reports = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, t: statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of reports.slice(KEEP)) rmSync(join(dir, f), { force: true });
}
