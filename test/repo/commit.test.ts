/**
 * The commit as `git commit` would make it: its hooks wherever git finds them, an identity when git
 * has none, and HEAD moved only from the commit the run started from.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles } from '../../src/repo/commit.js';
import { RepoFs } from '../../src/repo/fs.js';
import { commitSetup } from '../../src/repo/git.js';
import { tempDir } from '../helpers.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

function repo(): string {
  const dir = join(tempDir(), 'r');
  execFileSync('git', ['init', '-q', '--initial-branch=main', dir]);
  git(dir, 'config', 'user.name', 't');
  git(dir, 'config', 'user.email', 't@example.org');
  return dir;
}

function hook(dir: string, folder: string, name: string, script: string): void {
  mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, folder, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, folder, name), 0o755);
}

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM'])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe('commitFiles', () => {
  it("runs the hooks in core.hooksPath: commit-msg's edit is the message, post-commit runs after", async () => {
    const dir = repo();
    git(dir, 'config', 'core.hooksPath', 'githooks');
    hook(dir, 'githooks', 'commit-msg', 'echo "Signed-off-by: hook" >> "$1"');
    hook(dir, 'githooks', 'post-commit', 'git rev-parse HEAD > "$(git rev-parse --git-dir)/after"');
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    const made = await commitFiles(dir, ['a.yaml'], 'first');
    expect(git(dir, 'log', '-1', '--format=%B')).toBe('first\nSigned-off-by: hook');
    expect(readFileSync(join(dir, '.git', 'after'), 'utf8').trim()).toBe(made);
  });

  it("refuses the commit when core.hooksPath's pre-commit says no, and moves nothing", async () => {
    const dir = repo();
    git(dir, 'config', 'core.hooksPath', 'githooks');
    hook(dir, 'githooks', 'pre-commit', 'echo "no commits today" >&2; exit 1');
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    await expect(commitFiles(dir, ['a.yaml'], 'first')).rejects.toThrow(/the pre-commit hook refused the commit: no commits today/);
    expect(() => git(dir, 'rev-parse', '--verify', '--quiet', 'HEAD')).toThrow();
  });

  it('commits as calisti-gitops when git has no identity configured (a CI runner)', async () => {
    const dir = join(tempDir(), 'r');
    execFileSync('git', ['init', '-q', dir]);
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    await commitFiles(dir, ['a.yaml'], 'first');
    expect(git(dir, 'log', '-1', '--format=%an <%ae> / %cn <%ce>')).toBe(
      'calisti-gitops <calisti-gitops@users.noreply.localhost> / calisti-gitops <calisti-gitops@users.noreply.localhost>',
    );
  });

  it('does not commit over a HEAD that moved since the run read it', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    const first = await commitFiles(dir, ['a.yaml'], 'first');
    writeFileSync(join(dir, 'b.yaml'), 'b: 1\n');
    git(dir, 'add', 'b.yaml');
    git(dir, 'commit', '-qm', 'someone else');
    writeFileSync(join(dir, 'a.yaml'), 'a: 2\n');
    await expect(commitFiles(dir, ['a.yaml'], 'second', { head: first! })).rejects.toThrow(/HEAD moved/);
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('someone else');
  });
});

describe("a repository's first index", () => {
  /** A fresh repository without an index, and a.yaml and b.yaml created by the writer (their stat taken as written). */
  function created(dir: string) {
    const fs = new RepoFs(dir);
    fs.write('a.yaml', 'a: 1\n', false, true);
    fs.write('b.yaml', 'b: 1\n', false, true);
    return {
      files: new Map([
        ['a.yaml', { executable: false }],
        ['b.yaml', { executable: false }],
      ]),
      stats: fs.created,
    };
  }

  it('is written by the run when nothing can have changed the files since', async () => {
    const dir = repo();
    await commitFiles(dir, ['a.yaml', 'b.yaml'], 'first', { head: null, ...created(dir) });
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'ls-files', '-s')).toContain('a.yaml');
  });

  it('is left to git when a pre-commit hook may have changed a file: an edit of the same size, in the same second, still shows', async () => {
    const dir = repo();
    // Same size, then past the second: only the content tells the file changed.
    hook(dir, '.git/hooks', 'pre-commit', 'c=$(sed s/1/2/ a.yaml); printf "%s\\n" "$c" > a.yaml; sleep 1.1'); // in place: the same inode
    await commitFiles(dir, ['a.yaml', 'b.yaml'], 'first', { head: null, ...created(dir) });
    expect(git(dir, 'show', 'HEAD:a.yaml')).toBe('a: 1');
    expect(git(dir, 'status', '--porcelain')).toBe('M a.yaml');
  });

  it("is left to git in a shared repository, which gives it the group's modes", async () => {
    const dir = join(tempDir(), 'r');
    execFileSync('git', ['init', '-q', '--shared=group', dir]);
    git(dir, 'config', 'user.name', 't');
    git(dir, 'config', 'user.email', 't@example.org');
    await commitFiles(dir, ['a.yaml', 'b.yaml'], 'first', { head: null, ...created(dir) });
    expect(statSync(join(dir, '.git', 'index')).mode & 0o060).toBe(0o060);
  });
});

describe('commitSetup', () => {
  it('finds the hooks that have a file, and leaves every hook to git once the configuration defines any', async () => {
    const dir = repo();
    hook(dir, '.git/hooks', 'post-commit', 'true');
    expect([...(await commitSetup(dir)).hooks]).toEqual(['post-commit']);
    expect((await commitSetup(dir)).identity).toEqual({});
    git(dir, 'config', 'hook.lint.command', 'true');
    expect([...(await commitSetup(dir)).hooks]).toEqual(['pre-commit', 'commit-msg', 'post-commit']);
    expect(existsSync(join(dir, '.git/hooks/pre-commit'))).toBe(false);
  });
});
