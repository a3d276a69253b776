/**
 * Files git knows unchanged are compared by id and never read; anything git does not vouch for
 * (edited, assume-unchanged, skip-worktree, staged, untracked) is read as before.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { gitView } from '../../src/repo/clean.js';
import { blobId } from '../../src/repo/state.js';
import { cli, tempDir } from '../helpers.js';

let dir: string;
const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' });
const OVERLAY = 'manifests/demo-app/overlays/workload-cluster-1/demo-app.yaml';
const generate = async (...flags: string[]) => {
  const r = await cli('generate', '-C', dir, '-o', 'json', ...flags);
  return {
    code: r.code,
    out: r.code === 0 ? (JSON.parse(r.stdout) as { changed: boolean; commit: string | null; kept: string[]; restored: string[] }) : undefined,
    err: r.stderr,
  };
};

beforeEach(async () => {
  dir = join(tempDir(), 'repo');
  expect((await cli('init', dir, '--example', 'multi-cluster')).code).toBe(0);
});

describe('gitView', () => {
  it('reads a repository holding a file named HEAD (a revision name git could take for a path)', async () => {
    writeFileSync(join(dir, 'HEAD'), 'x\n');
    git('add', 'HEAD');
    git('commit', '-qm', 'a file named HEAD');
    writeFileSync(join(dir, 'HEAD'), 'y\n');
    git('add', 'HEAD');
    const view = await gitView(dir);
    expect(view.staged).toEqual(new Set(['HEAD']));
    expect(view.clean.get('HEAD')?.committed).toBe(false);
    expect((await cli('diff', '-C', dir, '-o', 'json')).code).toBe(0);
  });

  it('has nothing staged in a repository without a commit, and fails when git cannot compare with HEAD', async () => {
    const fresh = join(tempDir(), 'fresh');
    mkdirSync(fresh);
    execFileSync('git', ['init', '-q', fresh]);
    writeFileSync(join(fresh, 'a.txt'), 'a\n');
    execFileSync('git', ['-C', fresh, 'add', 'a.txt']);
    const view = await gitView(fresh);
    expect(view.staged.size).toBe(0);
    expect(view.clean.get('a.txt')?.committed).toBe(false);
    // HEAD names a commit whose tree is gone: not a repository without commits, an error.
    const tree = git('rev-parse', 'HEAD^{tree}').trim();
    rmSync(join(dir, '.git', 'objects', tree.slice(0, 2), tree.slice(2)));
    await expect(gitView(dir)).rejects.toThrow(/git diff-index failed/);
  });

  it('vouches for clean tracked files only, with their ids', async () => {
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    writeFileSync(join(dir, 'b.txt'), 'two\n');
    writeFileSync(join(dir, 'c.txt'), 'three\n');
    git('add', 'a.txt', 'b.txt', 'c.txt');
    git('commit', '-qm', 'files');
    appendFileSync(join(dir, 'a.txt'), 'edited\n'); // changed on disk
    writeFileSync(join(dir, 'b.txt'), 'staged\n');
    git('add', 'b.txt'); // staged, clean against the index
    writeFileSync(join(dir, 'untracked.txt'), 'u\n');
    const view = await gitView(dir);
    expect(view.clean.has('a.txt')).toBe(false);
    expect(view.clean.get('b.txt')).toEqual({ id: blobId('staged\n'), executable: false, committed: false });
    expect(view.clean.get('c.txt')).toEqual({ id: blobId('three\n'), executable: false, committed: true });
    expect(view.clean.has('untracked.txt')).toBe(false);
    expect(view.indexed.has('untracked.txt')).toBe(false);
    expect(view.staged.has('b.txt')).toBe(true);
  });

  it('does not vouch for files git was told not to look at', async () => {
    git('update-index', '--assume-unchanged', OVERLAY);
    git('update-index', '--skip-worktree', 'README.md');
    const view = await gitView(dir);
    expect(view.clean.has(OVERLAY)).toBe(false);
    expect(view.clean.has('README.md')).toBe(false);
    expect(view.clean.has('calisti.yaml')).toBe(true);
  });

  it('gives paths in a folder of a bigger repository as that folder sees them', async () => {
    const top = join(tempDir(), 'mono');
    mkdirSync(join(top, 'deploy'), { recursive: true });
    execFileSync('git', ['init', '-q', top]);
    writeFileSync(join(top, 'deploy', 'x.yaml'), 'x: 1\n');
    writeFileSync(join(top, 'other.yaml'), 'y: 1\n');
    execFileSync('git', ['-C', top, 'add', '.']);
    const view = await gitView(join(top, 'deploy'));
    expect([...view.clean.keys()]).toEqual(['x.yaml']);
  });
});

describe('generate trusts git only as far as git looks', () => {
  it('sees a hand edit git was told to ignore (assume-unchanged)', async () => {
    git('update-index', '--assume-unchanged', OVERLAY);
    appendFileSync(join(dir, OVERLAY), '# a note\n');
    expect(git('status', '--porcelain')).toBe(''); // git itself no longer sees it
    const r = await generate();
    expect(r.code, r.err).toBe(0);
    expect(r.out!.kept).toContain(OVERLAY);
  });

  it('restores a generated file gone from disk, which the index still lists', async () => {
    rmSync(join(dir, OVERLAY));
    const r = await generate();
    expect(r.code, r.err).toBe(0);
    expect(r.out!.restored).toEqual([OVERLAY]);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('commits a generated file the index lost (git rm --cached), unchanged on disk', async () => {
    git('rm', '-q', '--cached', OVERLAY);
    git('commit', '-qm', 'untrack');
    const r = await generate();
    expect(r.code, r.err).toBe(0);
    expect(r.out!.commit).not.toBeNull();
    expect(git('ls-files', OVERLAY).trim()).toBe(OVERLAY);
  });

  it('makes no commit and leaves the index as it was when HEAD already holds everything', async () => {
    const before = git('ls-files', '--stage');
    const head = git('rev-parse', 'HEAD');
    const r = await generate();
    expect(r.code, r.err).toBe(0);
    expect(r.out!.commit).toBeNull();
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('ls-files', '--stage')).toBe(before);
  });

  it('still commits what a --no-commit run left in the working tree', async () => {
    writeFileSync(join(dir, 'calisti.yaml'), `${git('show', 'HEAD:calisti.yaml')}# a comment\n`);
    expect((await generate('--no-commit')).out!.commit).toBeNull();
    const r = await generate();
    expect(r.out!.commit).not.toBeNull();
    expect(git('status', '--porcelain')).toBe('');
  });
});
