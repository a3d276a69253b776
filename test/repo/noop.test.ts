/**
 * A no-op generate is remembered, and the memory never hides a change: hand edits, a changed model,
 * a commit that removed a generated file, other options.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { recover } from '../../src/repo/journal.js';
import { toolkitRoot } from '../../src/toolkit.js';
import { cli, tempDir } from '../helpers.js';

const bin = join(toolkitRoot, 'bin', 'calisti-gitops');

let dir: string;
const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' });
const generate = async (...flags: string[]) => {
  const r = await cli('generate', '-C', dir, '-o', 'json', ...flags);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { changed: boolean; commit: string | null; restored: string[]; kept: string[]; updated: string[]; unchanged: number };
};
const remembered = () => join(dir, '.git', 'calisti-gitops', 'last-noop.json');
const OVERLAY = 'manifests/demo-app/overlays/workload-cluster-1/demo-app.yaml';

beforeEach(async () => {
  dir = join(tempDir(), 'repo');
  expect((await cli('init', dir, '--example', 'multi-cluster')).code).toBe(0);
});

describe('generate: a remembered no-op', () => {
  it('answers the same as the run it remembers', async () => {
    const first = await generate();
    expect(first.changed).toBe(false);
    expect(existsSync(remembered())).toBe(true);
    expect(await generate()).toEqual(first);
  });

  it('does not hide a hand edit made after it', async () => {
    await generate();
    const file = join(dir, OVERLAY);
    writeFileSync(file, `${readFileSync(file, 'utf8')}# a note\n`);
    const r = await generate();
    expect(r.kept).toEqual([OVERLAY]);
  });

  it('does not hide a changed model', async () => {
    await generate();
    const model = join(dir, 'calisti.yaml');
    writeFileSync(model, readFileSync(model, 'utf8').replace('network: network1', 'network: network9'));
    const r = await generate();
    expect(r.changed).toBe(true);
    expect(r.commit).not.toBeNull();
  });

  it('does not hide a commit that removed a generated file: the file comes back', async () => {
    await generate();
    git('rm', '-q', OVERLAY);
    git('commit', '-qm', 'remove an overlay file');
    const r = await generate();
    expect(r.restored).toEqual([OVERLAY]);
    expect(existsSync(join(dir, OVERLAY))).toBe(true);
  });

  it('never answers while an interrupted run waits to be finished or undone', async () => {
    await generate();
    const model = join(dir, 'calisti.yaml');
    writeFileSync(model, readFileSync(model, 'utf8').replace('network: network1', 'network: network9'));
    const killed = spawnSync(bin, ['generate', '-C', dir], { env: { ...process.env, CALISTI_GITOPS_KILL_AFTER_STEPS: '1' }, encoding: 'utf8' });
    expect(killed.signal).toBe('SIGKILL');
    const journal = join(dir, '.git', 'calisti-gitops', 'journal.json');
    const left = readFileSync(journal, 'utf8');
    // The tree back as the remembered no-op saw it, the journal still there.
    await recover(dir);
    git('checkout', '--', '.');
    expect((await generate()).changed).toBe(false);
    writeFileSync(journal, left);
    const r = await cli('generate', '-C', dir, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^note: /m);
    expect(existsSync(journal)).toBe(false);
  });

  it('is not shared between options: --no-commit runs on its own', async () => {
    const committed = await generate();
    const uncommitted = await generate('--no-commit');
    expect(uncommitted).toEqual(committed);
    expect(JSON.parse(readFileSync(remembered(), 'utf8')).key).toBeDefined();
  });
});
