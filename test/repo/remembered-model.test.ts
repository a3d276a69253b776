/**
 * Parsed models remembered by content: the same Fleet as a parse, read back when the text is the
 * same, never for a text that differs or a model with errors, and a bounded number kept.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { parseFleet } from '../../src/model/load.js';
import { modelCacheDir, rememberedFleet, sameAsJSON } from '../../src/repo/remembered-model.js';
import { examplesDir } from '../../src/toolkit.js';
import { tempDir } from '../helpers.js';

const EXAMPLES = ['single-cluster', 'multi-cluster', 'active-active'];
const example = (name: string) => readFileSync(join(examplesDir, name, 'calisti.yaml'), 'utf8');
const kept = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('rememberedFleet', () => {
  it.each(EXAMPLES)('gives what a parse gives for the %s example, first and again', (name) => {
    const dir = tempDir();
    const text = example(name);
    const parsed = parseFleet(text);
    // What JSON keeps is the whole model: nothing of it is lost by remembering it.
    expect(sameAsJSON(parsed)).toBe(true);
    expect(rememberedFleet(text, 'calisti.yaml', dir)).toStrictEqual(parsed);
    expect(kept(dir)).toHaveLength(1);
    expect(rememberedFleet(text, 'calisti.yaml', dir)).toStrictEqual(parsed);
  });

  it('reads the kept parse back instead of parsing again, unless the file is cut short or altered', () => {
    const dir = tempDir();
    const text = example('multi-cluster');
    const parsed = parseFleet(text);
    rememberedFleet(text, 'calisti.yaml', dir);
    const file = join(dir, kept(dir)[0]!);
    const [key, sum, json] = readFileSync(file, 'utf8').split('\n');
    expect(createHash('sha256').update(json!).digest('hex')).toBe(sum);
    expect(JSON.parse(json!)).toStrictEqual(parsed);
    // Kept with a matching checksum (as a stand-in for "not parsed again"): that is what comes back.
    const other = JSON.stringify({ ...parsed, calisti: { ...parsed.calisti, version: 'kept' } });
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    writeFileSync(file, `${key}\n${sha(other)}\n${other}`);
    expect(rememberedFleet(text, 'calisti.yaml', dir).calisti.version).toBe('kept');
    // Altered without its checksum, cut short, or under another key: parsed again, and kept anew.
    for (const damaged of [`${key}\n${sum}\n${other}`, `${key}\n${sum}\n${json!.slice(0, 100)}`, `other\n${sha(other)}\n${other}`, '']) {
      writeFileSync(file, damaged);
      expect(rememberedFleet(text, 'calisti.yaml', dir)).toStrictEqual(parsed);
      expect(readFileSync(file, 'utf8')).toBe(`${key}\n${sum}\n${json}`);
    }
  });

  it('does not take a text for another that differs only in lone surrogates', () => {
    const dir = tempDir();
    const text = (s: string) =>
      example('single-cluster').replace('    network: network1\n', `    network: network1\n    overrides:\n      istioControlPlane:\n        note: "${s}"\n`);
    const a = text('\uD800');
    const b = text('\uDBFF');
    expect(rememberedFleet(a, 'calisti.yaml', dir)).toStrictEqual(parseFleet(a));
    expect(rememberedFleet(b, 'calisti.yaml', dir)).toStrictEqual(parseFleet(b));
    expect(kept(dir)).toHaveLength(2);
  });

  it('removes temp files a killed run left, not a write in progress', () => {
    const dir = tempDir();
    const stale = join(dir, '.old.json.1.tmp');
    const fresh = join(dir, '.new.json.2.tmp');
    writeFileSync(stale, 'x');
    writeFileSync(fresh, 'x');
    utimesSync(stale, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    for (let i = 0; i < 9; i++) rememberedFleet(`${example('single-cluster')}\n# ${i}\n`, 'calisti.yaml', dir);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('parses a text that differs by one character, and keeps both', () => {
    const dir = tempDir();
    const text = example('multi-cluster');
    rememberedFleet(text, 'calisti.yaml', dir);
    const edited = text.replace('network: network1', 'network: network2');
    expect(rememberedFleet(edited, 'calisti.yaml', dir)).toStrictEqual(parseFleet(edited));
    expect(kept(dir)).toHaveLength(2);
  });

  it('reports a model with errors, located, every time, and keeps nothing of it', () => {
    const dir = tempDir();
    const broken = example('multi-cluster').replace(/role: \w+/, 'role: sideways');
    for (let i = 0; i < 2; i++) {
      let error: unknown;
      try {
        rememberedFleet(broken, 'calisti.yaml', dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).problems[0]).toMatchObject({ file: 'calisti.yaml', path: expect.stringContaining('role') });
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the eight most recently used', () => {
    const dir = tempDir();
    const text = example('single-cluster');
    for (let i = 0; i < 12; i++) rememberedFleet(`${text}\n# ${i}\n`, 'calisti.yaml', dir);
    expect(kept(dir)).toHaveLength(8);
  });

  it('works without a place to keep parses, and when that place cannot be written', () => {
    const text = example('single-cluster');
    expect(rememberedFleet(text, 'calisti.yaml', undefined)).toStrictEqual(parseFleet(text));
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, '');
    expect(rememberedFleet(text, 'calisti.yaml', join(file, 'models'))).toStrictEqual(parseFleet(text));
  });

  it('keeps them in the git folder shared by worktrees, none outside git', () => {
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    expect(modelCacheDir(repo)).toBe(join(repo, '.git', 'calisti-gitops', 'models'));
    expect(modelCacheDir('/')).toBeUndefined();
  });
});

describe('sameAsJSON', () => {
  it.each([
    [{ a: 1, b: ['x', true, null, { c: -1.5 }] }, true],
    [{ a: undefined }, false],
    [[1, undefined], false],
    [{ n: Number.NaN }, false],
    [{ n: Number.POSITIVE_INFINITY }, false],
    [{ n: -0 }, false],
    [{ d: new Date(0) }, false],
    [{ m: new Map() }, false],
    [{ f: () => 1 }, false],
    [Object.assign(Object.create(null), { a: 'x' }), true],
  ])('%o: %s', (value, same) => {
    expect(sameAsJSON(value)).toBe(same);
  });
});
