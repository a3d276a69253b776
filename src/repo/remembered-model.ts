/**
 * Parsed models remembered by content. Reading a 1,000-cluster model costs about 90 ms in a fresh
 * process (YAML, then the schema), and diff reads two (the committed one and the proposed one),
 * generate and validate one each, most often texts an earlier run already read. A valid model's
 * parse depends only on its text and the toolkit (its code, blueprints and schemas), so the result
 * is kept under a key of both, in the repository's git folder beside the build cache.
 *
 * Only valid models are kept (errors are located on every run), and only when JSON gives back the
 * same value. A valid model holds no credential (the schema refuses them), and the file holds what
 * the model's text already says. Best effort: a cache that cannot be read or written only costs
 * the parse.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { parseFleet } from '../model/load.js';
import type { Fleet } from '../model/schema.js';
import { rememberFile, toolkitFingerprint } from './fingerprint.js';
import { commonGitDir } from './gitdir.js';

const RECIPE = 'parsed-model/1';
/** The committed model and a proposed one, with room for a few branches. */
const KEPT = 8;

/** Where a repository's parsed models are kept (shared by its worktrees), or undefined outside git. */
export function modelCacheDir(root: string): string | undefined {
  try {
    return join(commonGitDir(root), 'calisti-gitops', 'models');
  } catch {
    return undefined;
  }
}

/** parseFleet, answered from `dir` when that text was parsed before; undefined `dir`: no cache. */
export function rememberedFleet(text: string, file: string, dir: string | undefined): Fleet {
  if (!dir) return parseFleet(text, file);
  const key = createHash('sha256').update(`${RECIPE}\n${toolkitFingerprint()}\n`).update(text).digest('hex');
  const path = join(dir, `${key}.json`);
  try {
    const kept = JSON.parse(readFileSync(path, 'utf8')) as { key?: unknown; fleet?: Fleet };
    if (kept.key === key && kept.fleet) {
      // Used: kept longer than models not read since.
      const now = new Date();
      utimesSync(path, now, now);
      return kept.fleet;
    }
  } catch {
    // not kept yet, or unreadable: parse it
  }
  const fleet = parseFleet(text, file);
  if (sameAsJSON(fleet) && rememberFile(path, JSON.stringify({ key, fleet }))) prune(dir);
  return fleet;
}

/** Whether JSON.parse(JSON.stringify(v)) gives v back exactly (no undefined, -0, NaN, or class instances). */
export function sameAsJSON(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) return v.every(sameAsJSON);
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      return Object.values(v).every(sameAsJSON);
    }
    default:
      return false;
  }
}

/** Keeps the newest few. */
function prune(dir: string): void {
  try {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    if (files.length <= KEPT) return;
    const byAge = files.map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { f } of byAge.slice(KEPT)) rmSync(join(dir, f), { force: true });
  } catch {
    // another run pruned it first
  }
}
