/**
 * Renovate's pull request changes calisti.version and nothing else. Self-hosted Renovate then runs
 * `upgrade --to <new>` (its post-upgrade task) on the uncommitted bump; hosted Renovate cannot, and
 * validate must say what to run on the branch.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { versionBump } from '../../src/upgrade/bot-bump.js';
import { cli, tempDir } from '../helpers.js';

const gitIn = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { encoding: 'utf8' });
/** What Renovate's regex manager writes: the version string replaced in place. */
const renovateBump = (repo: string, from: string, to: string) => {
  const file = join(repo, 'calisti.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(new RegExp(`^( {2}version: )${from.replaceAll('.', '\\.')}$`, 'm'), `$1${to}`));
};
type Findings = { findings: { rule: string; message: string }[] };

describe('versionBump', () => {
  const model = 'calisti:\n  # renovate: datasource=docker depName=calisti\n  version: 1.10.0\nclusters: [{ name: a }]\n';
  it.each([
    ['only the version changed', model.replace('1.10.0', '1.11.0'), { from: '1.10.0', to: '1.11.0' }],
    ['comments and layout changed too', model.replace('1.10.0', '"1.11.0"').replace('# renovate', '#  renovate'), { from: '1.10.0', to: '1.11.0' }],
    ['something else changed as well', model.replace('1.10.0', '1.11.0').replace('name: a', 'name: b'), undefined],
    ['the version did not change', model, undefined],
    ['the text is not YAML', 'calisti: [', undefined],
  ])('%s', (_, after, want) => expect(versionBump(model, after)).toEqual(want));
});

describe('a Renovate pull request bumping calisti.version', () => {
  let repo: string;
  beforeEach(async () => {
    const t = tempDir();
    const model = join(t, 'model.yaml');
    writeFileSync(model, readFileSync(join('examples', 'multi-cluster', 'calisti.yaml'), 'utf8').replace(/^ {2}version: 1\.12\.0$/m, '  version: 1.10.0'));
    repo = join(t, 'repo');
    expect((await cli('init', repo, '-f', model)).code).toBe(0);
  }, 120_000);

  it('self-hosted: the post-upgrade task (upgrade --to --no-commit: Renovate commits) makes the whole step from the model before the bump', async () => {
    renovateBump(repo, '1.10.0', '1.11.0');
    const r = await cli('upgrade', '--to', '1.11.0', '-C', repo, '--no-commit', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { from: string; to: string; changed: boolean };
    expect(out).toMatchObject({ from: '1.10.0', to: '1.11.0', changed: true });
    const model = readFileSync(join(repo, 'calisti.yaml'), 'utf8');
    // The canary: the old control plane stays for the workloads on it; the comment stays on the version.
    expect(model).toMatch(/revisions: \[cp-v113x\]/);
    expect(model).toMatch(/# renovate: [^\n]*\n {2}version: 1\.11\.0\n/);
    expect(readFileSync(join(repo, '.calisti-gitops', 'renovate.json'), 'utf8')).toContain('"allowedVersions": "<1.13.0"');
    // What Renovate then commits passes the pull-request check against the base branch.
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-qm', 'Update calisti to v1.11.0');
    const v = await cli('validate', '-C', repo, '--base', 'HEAD~1', '-q', '-o', 'json');
    expect(
      (JSON.parse(v.stdout) as Findings).findings.filter((f) => f.rule === 'upgrade/path' || f.rule === 'model/drift' || f.rule === 'version/mismatch'),
    ).toEqual([]);
  }, 120_000);

  it('hosted: validate fails the bare bump and names the command; running it on the branch makes the step', async () => {
    gitIn(repo, 'checkout', '-qb', 'renovate/calisti-1.x');
    renovateBump(repo, '1.10.0', '1.11.0');
    gitIn(repo, 'commit', '-qam', 'Update calisti to v1.11.0');
    const v = await cli('validate', '-C', repo, '--base', 'main', '-q', '-o', 'json');
    expect(v.code).toBe(1);
    const path = (JSON.parse(v.stdout) as Findings).findings.filter((f) => f.rule === 'upgrade/path');
    expect(path).toHaveLength(1);
    expect(path[0]!.message).toContain('calisti.version 1.10.0 -> 1.11.0 was changed alone');
    expect(path[0]!.message).toContain('calisti-gitops upgrade --to 1.11.0 (one commit)');

    const u = await cli('upgrade', '--to', '1.11.0', '-C', repo);
    expect(u.code, u.stderr).toBe(0);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    const after = await cli('validate', '-C', repo, '--base', 'main', '-q', '-o', 'json');
    expect(
      (JSON.parse(after.stdout) as Findings).findings.filter((f) => f.rule === 'upgrade/path' || f.rule === 'model/drift' || f.rule === 'version/mismatch'),
    ).toEqual([]);
  }, 120_000);
});
