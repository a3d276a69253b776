/**
 * A generate that found nothing to do, remembered: while the toolkit, the repository (HEAD, refs,
 * every changed or untracked file) and the options are the same, the next run would find nothing
 * either, so it answers at once instead of rendering and comparing thousands of files.
 * Only runs that wrote nothing and committed nothing are remembered, so the stored result is
 * exactly what the next run would return. The CLI asks before it loads the writer; the writer only
 * records.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rememberFile, repoFingerprint, toolkitFingerprint } from './fingerprint.js';
import { journalPath, stateDir } from './lock.js';
import type { GenerateResult } from './generate.js';

const RECIPE = 'generate-noop/1';
const file = (root: string) => join(stateDir(root), 'last-noop.json');

/** The options a no-op depends on, as generate and the CLI's quick check both name them. */
export function noopOptions(o: { commit: boolean; force: boolean; allowDestructive?: boolean; message?: string }): Record<string, unknown> {
  return { commit: o.commit, force: o.force, allowDestructive: o.allowDestructive ?? false, message: o.message ?? null };
}

/**
 * The CLI's check before it loads the writer: the remembered no-op of the repo at `dir`, unless an
 * interrupted run's journal waits to be finished or undone (then the writer runs, and recovers).
 */
export function rememberedNoop(dir: string, options: Record<string, unknown>): GenerateResult | undefined {
  let root: string;
  try {
    root = realpathSync(resolve(dir));
  } catch {
    return undefined;
  }
  if (existsSync(journalPath(root))) return undefined;
  const key = noopKey(root, options);
  return key ? lastNoop(root, key) : undefined;
}

/** The key of a generate over `root` with these options; undefined when git cannot describe the tree. */
function noopKey(root: string, options: Record<string, unknown>): string | undefined {
  const repo = repoFingerprint(root);
  if (!repo) return undefined;
  return createHash('sha256')
    .update(`${RECIPE}\n${toolkitFingerprint()}\n${JSON.stringify(options)}\n${repo}`)
    .digest('hex');
}

/** The last no-op's result when it was computed under `key`. */
function lastNoop(root: string, key: string): GenerateResult | undefined {
  try {
    const stored = JSON.parse(readFileSync(file(root), 'utf8')) as { key?: unknown; result?: GenerateResult };
    return stored.key === key ? stored.result : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remembers a run that wrote and committed nothing, keyed on the tree as it leaves it (which is the
 * tree it found). Best effort.
 */
export function rememberNoop(root: string, options: Record<string, unknown>, result: GenerateResult): void {
  const key = noopKey(root, options);
  if (key) rememberFile(file(root), JSON.stringify({ key, result }));
}
