/** The first commit's index, written from what the run knows: the same bytes git writes itself. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepoFs } from '../../src/repo/fs.js';
import { writeFirstIndex } from '../../src/repo/index-file.js';
import { blobId } from '../../src/repo/state.js';
import { tempDir } from '../helpers.js';

const git = (dir: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', input, env: { ...process.env, ...env } });

// Names whose byte order differs from a naive sort by folder ('a-b' < 'a.b' < 'a/b' < 'ab'), a
// name that is not ASCII, and an executable.
const FILES: Record<string, string> = {
  'a-b': 'dash\n',
  'a.b': 'dot\n',
  'a/b': 'slash\n',
  ab: 'plain\n',
  'manifests/demo/overlays/c1/kustomization.yaml': 'resources: [../../base]\n',
  'docs/über.md': '# ü\n',
  'run.sh': '#!/bin/sh\n',
};
const EXECUTABLE = new Set(['run.sh']);

function tree(): { dir: string; files: { disk: string; path: string; id: string; executable: boolean }[] } {
  const dir = join(tempDir(), 'r');
  execFileSync('git', ['init', '-q', dir]);
  const files = Object.entries(FILES).map(([p, content]) => {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
    if (EXECUTABLE.has(p)) chmodSync(join(dir, p), 0o755);
    return { disk: join(dir, p), path: p, id: blobId(content), executable: EXECUTABLE.has(p) };
  });
  return { dir, files };
}

/** The index git itself writes for these files: their entries, then a refresh for the stat data. */
function gitsIndex(dir: string, files: { path: string; id: string; executable: boolean }[]): Buffer {
  const index = join(tempDir(), 'index');
  const env = { GIT_INDEX_FILE: index };
  git(dir, ['update-index', '--add', '-z', '--index-info'], files.map((f) => `${f.executable ? '100755' : '100644'} ${f.id}\t${f.path}\0`).join(''), env);
  git(dir, ['update-index', '-q', '--refresh'], undefined, env);
  return readFileSync(index);
}

describe('writeFirstIndex', () => {
  it('writes the bytes git writes for the same files, and git then sees a clean tree', () => {
    const { dir, files } = tree();
    expect(writeFirstIndex(join(dir, '.git'), files)).toBe(true);
    expect(readFileSync(join(dir, '.git', 'index')).equals(gitsIndex(dir, files))).toBe(true);
    expect(git(dir, ['diff-files', '--name-only'])).toBe('');
    expect(git(dir, ['ls-files', '-s', 'run.sh'])).toMatch(/^100755 /);
  });

  it("takes the writer's own stat data for the files it created: still git's bytes", () => {
    const dir = join(tempDir(), 'r');
    execFileSync('git', ['init', '-q', dir]);
    const fs = new RepoFs(dir);
    const files = Object.entries(FILES).map(([p, content]) => {
      fs.write(p, content, EXECUTABLE.has(p), true);
      return { disk: join(fs.root, p), path: p, id: blobId(content), executable: EXECUTABLE.has(p) };
    });
    expect(fs.created.size).toBe(files.length);
    expect(
      writeFirstIndex(
        join(dir, '.git'),
        files.map((f) => ({ ...f, stat: fs.created.get(f.path) })),
      ),
    ).toBe(true);
    expect(readFileSync(join(dir, '.git', 'index')).equals(gitsIndex(dir, files))).toBe(true);
  });

  it('writes nothing where it cannot stand for git: an index already there, one being written, GIT_INDEX_FILE, a changed mode', () => {
    const { dir, files } = tree();
    const index = join(dir, '.git', 'index');
    writeFileSync(index, 'theirs');
    expect(writeFirstIndex(join(dir, '.git'), files)).toBe(false);
    expect(readFileSync(index, 'utf8')).toBe('theirs');
    rmSync(index);
    writeFileSync(`${index}.lock`, '');
    expect(writeFirstIndex(join(dir, '.git'), files)).toBe(false);
    rmSync(`${index}.lock`);
    process.env.GIT_INDEX_FILE = join(tempDir(), 'elsewhere');
    try {
      expect(writeFirstIndex(join(dir, '.git'), files)).toBe(false);
    } finally {
      delete process.env.GIT_INDEX_FILE;
    }
    chmodSync(join(dir, 'ab'), 0o755);
    expect(writeFirstIndex(join(dir, '.git'), files)).toBe(false);
    expect(() => readFileSync(index)).toThrow();
    expect(() => readFileSync(`${index}.lock`)).toThrow();
  });
});
