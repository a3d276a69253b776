/**
 * Every command that writes the repo makes one commit by default; `--no-commit` leaves the change in
 * the working tree; `--commit` (the opt-in of earlier versions, still in older scripts and Renovate
 * presets) is accepted where it was. `--help` says the default.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { examplesDir } from '../../src/toolkit.js';
import { cli, conformance, describeWithConformance, tempDir } from '../helpers.js';

const gitOut = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
const commits = (dir: string) => Number(gitOut(dir, 'rev-list', '--count', 'HEAD'));

/** single-cluster at `version`, with a second, empty cluster `c2` that can be removed. */
async function repo(version = '1.12.0'): Promise<string> {
  const model = join(tempDir(), 'calisti.yaml');
  const text = readFileSync(join(examplesDir, 'single-cluster', 'calisti.yaml'), 'utf8')
    .replace('version: 1.12.0', `version: ${version}`)
    .replace('demoApp:', '  - name: c2\n    role: passive\ndemoApp:');
  writeFileSync(model, text);
  const dir = join(tempDir(), 'repo');
  const r = await cli('init', dir, '-f', model);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

const MODES: [string, string[], number][] = [
  ['by default, one commit', [], 1],
  ['with --no-commit, none: the change stays in the working tree', ['--no-commit'], 0],
  ['with --commit (older scripts), one commit', ['--commit'], 1],
];

async function expectCommits(dir: string, code: () => Promise<number>, added: number): Promise<void> {
  const before = commits(dir);
  expect(await code()).toBe(0);
  expect(commits(dir) - before).toBe(added);
  expect(gitOut(dir, 'status', '--porcelain') === '').toBe(added === 1);
}

describe('one commit by default', () => {
  it.each(MODES)('upgrade: %s', async (_name, flags, added) => {
    const dir = await repo('1.11.0');
    await expectCommits(dir, async () => (await cli('upgrade', '--to', '1.12.0', '-C', dir, ...flags)).code, added);
    if (added) expect(gitOut(dir, 'log', '-1', '--format=%s')).toBe('chore(calisti): upgrade 1.11.0 -> 1.12.0');
  });

  it.each(MODES)('clusters remove: %s', async (_name, flags, added) => {
    const dir = await repo();
    await expectCommits(dir, async () => (await cli('clusters', 'remove', 'c2', '--allow-destructive', '-C', dir, ...flags)).code, added);
  });

  it('--help of every command that writes says it commits unless --no-commit', async () => {
    for (const command of [['generate'], ['upgrade'], ['seal'], ['clusters', 'add'], ['clusters', 'remove'], ['istio', 'migrate'], ['istio', 'prune']]) {
      const help = (await cli(...command, '--help')).stdout;
      expect(help, command.join(' ')).toMatch(/--no-commit\s+leave the change in the working tree, uncommitted\s+\(default: one commit\)/);
      expect(help, command.join(' ')).not.toMatch(/^\s+--commit\b/m);
    }
  });
});

describeWithConformance('seal commits by default', () => {
  it.each(MODES)('%s', async (_name, flags, added) => {
    const dir = await repo();
    const quiet = { out: () => undefined, err: () => undefined };
    const env = { CALISTI_USERNAME: 'u', CALISTI_PASSWORD: 'p-9x' };
    await expectCommits(
      dir,
      () => run(['seal', '--cert', conformance('sealed-secrets', 'cert.pem'), '--target', 'registry', '-C', dir, ...flags], quiet, env),
      added,
    );
  });
});
