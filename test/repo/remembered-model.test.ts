/**
 * Parsed models remembered by content: the same Fleet as a parse, read back when the text is the
 * same, never for a text that differs or a model with errors, and a bounded number kept.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('reads the kept parse back instead of parsing again', () => {
    const dir = tempDir();
    const text = example('multi-cluster');
    rememberedFleet(text, 'calisti.yaml', dir);
    // Altered on disk (as a stand-in for "not parsed again"): the kept value is what comes back.
    const file = join(dir, kept(dir)[0]!);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; fleet: { calisti: { version: string } } };
    stored.fleet.calisti.version = 'kept';
    writeFileSync(file, JSON.stringify(stored));
    expect(rememberedFleet(text, 'calisti.yaml', dir).calisti.version).toBe('kept');
    // A file whose key is not the text's is not taken for it.
    writeFileSync(file, JSON.stringify({ ...stored, key: 'other' }));
    expect(rememberedFleet(text, 'calisti.yaml', dir).calisti.version).toBe(parseFleet(text).calisti.version);
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
