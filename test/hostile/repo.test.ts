/**
 * Hostile repo states: what a pull request, a crashed tool or an unusual checkout can leave. Each
 * case was once a way to damage a repo or crash a writer; every one must stay fixed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobId } from '../../src/repo/state.js';
import { cli, snapshot, tempDir } from '../helpers.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

async function repo(): Promise<string> {
  const dir = join(tempDir(), 'repo');
  expect((await cli('init', dir)).code).toBe(0);
  return dir;
}

const editModel = (dir: string, from: string, to: string) => {
  const text = readFileSync(join(dir, 'calisti.yaml'), 'utf8');
  expect(text, `the model holds ${from}`).toContain(from);
  writeFileSync(join(dir, 'calisti.yaml'), text.replace(from, to));
};

describe('a hostile .calisti-gitops/generated.json', () => {
  it.each([['--no-commit'], ['--force']])('never deletes what no render produces (generate %s)', async (flag) => {
    const dir = await repo();
    const outside = join(tempDir(), 'precious.txt');
    writeFileSync(outside, 'keep me\n');
    writeFileSync(join(dir, 'charts.txt'), 'hand-added\n');
    const state = JSON.parse(readFileSync(join(dir, '.calisti-gitops/generated.json'), 'utf8'));
    // Blob ids are predictable: the attacker lists what is really there.
    for (const p of ['.git/HEAD', '.git/config', 'charts.txt']) state.files[p] = blobId(readFileSync(join(dir, p)));
    state.files[`../${outside.split('/').slice(-2).join('/')}`] = blobId(readFileSync(outside));
    state.files['manifests/../.git/config'] = blobId(readFileSync(join(dir, '.git/config')));
    writeFileSync(join(dir, '.calisti-gitops/generated.json'), JSON.stringify(state));
    git(dir, 'commit', '-qam', 'a pull request');
    const r = await cli('generate', '-C', dir, flag, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    for (const p of ['.git/HEAD', '.git/config', 'charts.txt']) expect(existsSync(join(dir, p)), p).toBe(true);
    expect(readFileSync(outside, 'utf8')).toBe('keep me\n');
    expect(git(dir, 'rev-parse', 'HEAD')).toMatch(/^[0-9a-f]{40}/);
    expect(JSON.parse(r.stdout).warnings.join('\n')).toContain('".git/HEAD", which calisti-gitops never generates');
    expect(JSON.parse(r.stdout).deleted).toEqual([]);
  });
});

describe('commits', () => {
  it('hold the whole generated set, so a --no-commit run is never left half-committed', async () => {
    const dir = await repo();
    editModel(dir, 'targetRevision: HEAD', 'targetRevision: main');
    expect((await cli('generate', '-C', dir, '--no-commit')).code).toBe(0);
    editModel(dir, 'network: network1', 'network: net-a');
    expect((await cli('generate', '-C', dir)).code).toBe(0);
    // HEAD's model and manifests agree: nothing generated is left uncommitted.
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'show', 'HEAD:apps/demo-app/app-set.yaml')).toContain('targetRevision: main');
  });

  it('after git init over existing files, commit the model with what it generates', async () => {
    const dir = await repo();
    execFileSync('rm', ['-rf', join(dir, '.git')]);
    git(dir, 'init', '-q', '--initial-branch=main');
    const r = await cli('generate', '-C', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'ls-files')).toContain('calisti.yaml');
  });

  it('refuse to start while git holds the index lock, and say how to clear it', async () => {
    const dir = await repo();
    editModel(dir, 'targetRevision: HEAD', 'targetRevision: main');
    writeFileSync(join(dir, '.git/index.lock'), '');
    const before = snapshot(dir);
    const r = await cli('generate', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('index.lock exists');
    expect(r.stderr).toMatch(/next: if no git process is running: rm .*index\.lock/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('unusual checkouts', () => {
  it('a linked worktree (.git is a file) generates and commits there', async () => {
    const dir = await repo();
    const wt = join(tempDir(), 'wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'other', wt);
    editModel(wt, 'targetRevision: HEAD', 'targetRevision: main');
    const r = await cli('generate', '-C', wt);
    expect(r.code, r.stderr).toBe(0);
    expect(git(wt, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'log', '-1', '--format=%s', 'other')).toContain('generate');
  });

  it('an unborn branch gets its first commit', async () => {
    const dir = join(tempDir(), 'unborn');
    mkdirSync(dir);
    git(dir, 'init', '-q', '--initial-branch=trunk');
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(await repo(), 'calisti.yaml')));
    const r = await cli('generate', '-C', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(git(dir, 'log', '--format=%s', 'trunk').trim().split('\n')).toHaveLength(1);
  });
});

describe('committed symlinks', () => {
  const target = 'manifests/smm-controlplane/base/control-plane.yaml';
  it.each([
    ['a loop', (dir: string) => symlinkSync('control-plane.yaml', join(dir, target))],
    ['to /dev/zero', () => '/dev/zero'],
    ['to /', () => '/'],
  ])('%s where a generated file belongs: a clear error, no hang, no stack', async (_name, make) => {
    const dir = await repo();
    unlinkSync(join(dir, target));
    const to = make(dir);
    if (typeof to === 'string') symlinkSync(to, join(dir, target));
    editModel(dir, 'network: network1', 'network: net-a');
    const r = await cli('generate', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stderr).toContain('control-plane.yaml');
  });
});

describe('destructive changes', () => {
  it('a cluster removed from calisti.yaml is refused without consent, naming what Argo CD would delete', async () => {
    const dir = await repo();
    const model = join(dir, 'calisti.yaml');
    writeFileSync(
      model,
      readFileSync(model, 'utf8')
        .replace(/ {2}- name: workload-cluster-2\n( {4}.*\n)*?(?=\S)/, '')
        .replace(/ {4}- cluster: workload-cluster-2\n {6}components: \[.*\]\n/, ''),
    );
    const before = snapshot(dir);
    const r = await cli('generate', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the smm-controlplane Application of workload-cluster-2 .* deletes everything it deployed/);
    expect(r.stderr).toContain('next: review it with calisti-gitops diff, then consent: calisti-gitops generate --allow-destructive');
    expect(snapshot(dir)).toEqual(before);
    const ok = await cli('generate', '-C', dir, '--allow-destructive');
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(join(dir, 'manifests/smm-controlplane/overlays/workload-cluster-2'))).toBe(false);
  });
});
