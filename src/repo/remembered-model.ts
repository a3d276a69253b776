/**
 * Parsed models remembered by content. Reading a 1,000-cluster model costs about 90 ms in a fresh
 * process (YAML, then the schema), and diff reads two (the committed one and the proposed one),
 * generate and validate one each, most often texts an earlier run already read. A valid model's
 * parse depends only on its text and the toolkit (its code, blueprints and schemas), so the result
 * is kept under a key of both, in the repository's git folder beside the build cache.
 *
 * Only valid models are kept (errors are located on every run), and only when JSON gives back the
 * same value. A valid model holds no credential the schema knows of (it refuses them in repoURL and
 * the control plane's overrides), and the file holds what the model's text already says. The folder is trusted as the
 * rest of the git folder is (whoever writes there can change hooks); a file cut short or damaged is
 * noticed by its checksum. Best effort: a cache that cannot be read or written only costs the parse.
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

/**
 * parseFleet, answered from `dir` when that text was parsed before; undefined `dir`: no cache. A
 * kept file is `<key>\n<sha-256 of the JSON>\n<JSON>`: one cut short or altered is parsed again.
 */
export function rememberedFleet(text: string, file: string, dir: string | undefined): Fleet {
  const key = dir ? keyOf(text) : undefined;
  if (!dir || !key) return parseFleet(text, file);
  const path = join(dir, `${key}.json`);
  const kept = readKept(path, key);
  if (kept) return kept;
  const fleet = parseFleet(text, file);
  if (sameAsJSON(fleet)) {
    const json = JSON.stringify(fleet);
    if (rememberFile(path, `${key}\n${sha256(json)}\n${json}`)) prune(dir);
  }
  return fleet;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The text's key with the toolkit's; undefined when the toolkit cannot be fingerprinted. */
function keyOf(text: string): string | undefined {
  try {
    // UTF-16 code units: two texts that differ only in lone surrogates do not share a key.
    return createHash('sha256').update(`${RECIPE}\n${toolkitFingerprint()}\n`).update(Buffer.from(text, 'utf16le')).digest('hex');
  } catch {
    return undefined;
  }
}

function readKept(path: string, key: string): Fleet | undefined {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    return undefined; // not kept yet
  }
  const first = content.indexOf('\n');
  const second = content.indexOf('\n', first + 1);
  if (first < 0 || second < 0 || content.slice(0, first) !== key) return undefined;
  const json = content.slice(second + 1);
  if (sha256(json) !== content.slice(first + 1, second)) return undefined;
  let fleet: Fleet;
  try {
    fleet = JSON.parse(json) as Fleet;
  } catch {
    return undefined;
  }
  try {
    // Used: kept longer than models not read since.
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // a file this user cannot touch is still read
  }
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

/** Keeps the newest few, and removes temp files a run killed while writing left behind. */
function prune(dir: string): void {
  try {
    const names = readdirSync(dir);
    const now = Date.now();
    const age = (f: string) => statSync(join(dir, f)).mtimeMs;
    for (const f of names) if (f.startsWith('.') && f.endsWith('.tmp') && now - age(f) > STALE_TEMP_MS) rmSync(join(dir, f), { force: true });
    const files = names.filter((f) => f.endsWith('.json'));
    if (files.length <= KEPT) return;
    const byAge = files.map((f) => ({ f, t: age(f) })).sort((a, b) => b.t - a.t);
    for (const { f } of byAge.slice(KEPT)) rmSync(join(dir, f), { force: true });
  } catch {
    // another run pruned it first
  }
}

/** A temp file older than this is no run's write in progress. */
const STALE_TEMP_MS = 10 * 60 * 1000;
