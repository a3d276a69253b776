/**
 * The build cache stays near one tree's size: a CI job carries it from run to run, and entries of
 * older trees are never read again.
 */
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneBuildCache } from '../../src/validate/builds.js';
import { runValidate } from '../../src/validate/index.js';
import { cli, tempDir } from '../helpers.js';

const key = (i: number) => i.toString(16).padStart(64, '0');
const HOUR = 3600_000;

/** A cache folder with `n` build entries written `age` ago, plus a CRD cache file and a reports folder. */
function cache(n: number, age: number): string {
  const dir = tempDir();
  const then = (Date.now() - age) / 1000;
  for (let i = 0; i < n; i++) {
    const f = join(dir, `${key(i)}.json`);
    writeFileSync(f, '{}');
    utimesSync(f, then, then);
  }
  writeFileSync(join(dir, `crd-${key(1)}.json`), '{}');
  mkdirSync(join(dir, 'reports'));
  return dir;
}

describe('pruneBuildCache', () => {
  it('leaves a cache of up to four times the used entries (and at least 256) alone', () => {
    const dir = cache(400, HOUR);
    expect(pruneBuildCache(dir, new Set(Array.from({ length: 100 }, (_, i) => key(i))))).toBe(0);
    expect(pruneBuildCache(dir, new Set([key(0)]))).toBeGreaterThan(0);
    const small = cache(250, HOUR);
    expect(pruneBuildCache(small, new Set([key(0)]))).toBe(0);
  });

  it('removes what the run did not use, keeps what it used, recent entries and other files', () => {
    const dir = cache(1000, HOUR);
    const now = Date.now();
    const recent = join(dir, `${key(999_999)}.json`);
    writeFileSync(recent, '{}');
    const used = new Set(Array.from({ length: 100 }, (_, i) => key(i * 3)));
    expect(pruneBuildCache(dir, used, now)).toBe(900);
    const left = readdirSync(dir).sort();
    expect(left).toEqual([...[...used].map((k) => `${k}.json`), `${key(999_999)}.json`, `crd-${key(1)}.json`, 'reports'].sort());
  });

  it('is quiet about a cache folder that does not exist', () => {
    expect(pruneBuildCache(join(tempDir(), 'none'), new Set())).toBe(0);
  });
});

describe('validate', () => {
  it('prunes entries of older trees after a run over the whole repo, not after a shard', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const stale = () => readdirSync(cacheDir).filter((f) => f.startsWith('0000'));
    const cacheDir = cache(300, 2 * HOUR);
    await runValidate({ dir, strict: false, crds: [], cacheDir, shard: { index: 1, count: 2 } });
    expect(stale().length, 'a shard keeps the others').toBe(300);
    await runValidate({ dir, strict: false, crds: [], cacheDir });
    expect(stale()).toEqual([]);
    // What the run built stays.
    expect(readdirSync(cacheDir).filter((f) => /^[0-9a-f]{64}\.json$/.test(f)).length).toBeGreaterThan(0);
  }, 120_000);
});
