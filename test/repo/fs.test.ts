/** The writer's view of the working tree: a file the plan found absent is created in place, safely. */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepoFs } from '../../src/repo/fs.js';
import { tempDir } from '../helpers.js';

const setup = () => {
  const root = join(tempDir(), 'repo');
  mkdirSync(root);
  return { root, fs: new RepoFs(root) };
};

describe('RepoFs.write of a file found absent', () => {
  it('creates it with the mode asked for, and the folders on the way', () => {
    const { root, fs } = setup();
    fs.write('a/b/run.sh', '#!/bin/sh\n', true, true);
    fs.write('a/b/c.yaml', 'c: 1\n', false, true);
    expect(readFileSync(join(root, 'a/b/run.sh'), 'utf8')).toBe('#!/bin/sh\n');
    expect(statSync(join(root, 'a/b/run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(root, 'a/b/c.yaml')).mode & 0o777).toBe(0o644);
  });

  it('gives new files the modes asked for under a umask that takes bits off', () => {
    const { root, fs } = setup();
    const before = process.umask(0o077);
    try {
      for (const name of ['a.yaml', 'b.yaml']) fs.write(name, 'x: 1\n', false, true);
      fs.write('run.sh', '#!/bin/sh\n', true, true);
    } finally {
      process.umask(before);
    }
    expect(['a.yaml', 'b.yaml', 'run.sh'].map((f) => statSync(join(root, f)).mode & 0o777)).toEqual([0o644, 0o644, 0o755]);
  });

  it('replaces a file that appeared since the plan, whole, and leaves no temp file', () => {
    const { root, fs } = setup();
    writeFileSync(join(root, 'x.yaml'), 'someone: else\n');
    fs.write('x.yaml', 'ours: 1\n', false, true);
    expect(readFileSync(join(root, 'x.yaml'), 'utf8')).toBe('ours: 1\n');
    expect(readdirSync(root)).toEqual(['x.yaml']);
  });

  it('replaces a symlink standing there by a regular file, never writing through it', () => {
    const { root, fs } = setup();
    const outside = join(tempDir(), 'outside.txt');
    writeFileSync(outside, 'keep\n');
    symlinkSync(outside, join(root, 'x.yaml'));
    fs.write('x.yaml', 'ours: 1\n', false, true);
    expect(lstatSync(join(root, 'x.yaml')).isFile()).toBe(true);
    expect(readFileSync(outside, 'utf8')).toBe('keep\n');
  });

  it('finds nothing to read below a folder found missing, and creates there once asked', () => {
    const { root, fs } = setup();
    expect(fs.read('m/a/overlays/c1/k.yaml')).toBeUndefined();
    expect(fs.read('m/a/overlays/c2/k.yaml')).toBeUndefined();
    fs.write('m/a/overlays/c2/k.yaml', 'k: 2\n', false, true);
    expect(fs.read('m/a/overlays/c2/k.yaml')).toBe('k: 2\n');
    expect(fs.read('m/a/overlays/c1/k.yaml')).toBeUndefined();
    expect(existsSync(join(root, 'm/a/overlays/c1'))).toBe(false);
  });
});

describe('RepoFs.resolve', () => {
  // A path already in normal form is used as it is; any other is normalized first: both must land
  // where join(root, normalize(path)) does, and nothing may leave the repository.
  const inside = ['a.yaml', 'a/b/c.yaml', 'a//b.yaml', './a.yaml', 'a/./b.yaml', 'a/../b.yaml', 'a/b/', '.hidden/x', 'a/..b/c', 'a/b..', '...', 'a\\b'];
  const outside = ['..', '../x', 'a/../../x', '/etc/passwd', 'a\0b'];
  it.each(inside)('%j lands where normalize puts it', (p) => {
    const { fs } = setup();
    expect(fs.resolve(p)).toBe(join(fs.root, normalize(p)));
  });
  it.each(outside)('%j is refused', (p) => {
    const { fs } = setup();
    expect(() => fs.resolve(p)).toThrow(/refusing path outside the repository/);
  });
});
