/** The gate every writer passes: version rules in validate, generate's step check, upgrade's dirty-model check, JSON errors. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../helpers.js';

const gitIn = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
const edit = (file: string, from: string | RegExp, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));

/** A repo committed at Calisti 1.10.0 (made by init from a copy of the multi-cluster example). */
async function repoAt110(): Promise<string> {
  const t = tempDir();
  expect((await cli('init', join(t, 'seed'), '--example', 'multi-cluster')).code).toBe(0);
  const model = join(t, 'model.yaml');
  writeFileSync(model, readFileSync(join(t, 'seed', 'calisti.yaml'), 'utf8').replace(/^ {2}version: 1\.12\.0$/m, '  version: 1.10.0'));
  expect((await cli('init', join(t, 'repo'), '-f', model)).code).toBe(0);
  return join(t, 'repo');
}

describe('version bumps outside upgrade', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await repoAt110();
  }, 120_000);

  it('generate, validate and the model-editing writers refuse a hand bump that skips a minor; nothing is written', async () => {
    edit(join(repo, 'calisti.yaml'), /^ {2}version: 1\.10\.0$/m, '  version: 1.12.0');
    try {
      const r = await cli('generate', '-C', repo, '-q');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('upgrade --to 1.11.0');
      expect(gitIn(repo, 'status', '--porcelain')).toBe(' M calisti.yaml\n');

      const v = await cli('validate', '-C', repo, '-q', '-o', 'json');
      expect(v.code).toBe(1);
      const rules = (JSON.parse(v.stdout) as { findings: { rule: string; message: string }[] }).findings.map((f) => f.rule);
      expect(rules).toContain('upgrade/path');
      expect(rules).toContain('model/drift');

      // The other writers go through the same gate.
      const prune = await cli('istio', 'prune', '-C', repo);
      expect(prune.code).toBe(1);
      expect(prune.stderr).toContain('upgrade --to 1.11.0');
    } finally {
      gitIn(repo, 'checkout', '--', 'calisti.yaml');
    }
  }, 120_000);

  it('a supported step made by hand that swaps Istio in place (cp-v113x deleted under its workloads) is refused too', async () => {
    edit(join(repo, 'calisti.yaml'), /^ {2}version: 1\.10\.0$/m, '  version: 1.11.0');
    try {
      const r = await cli('generate', '-C', repo, '-q', '-o', 'json');
      expect(r.code).toBe(1);
      const err = (JSON.parse(r.stdout) as { error: { message: string; hint: string } }).error;
      expect(err.message).toContain('cp-v113x');
      expect(err.hint).toContain('calisti-gitops upgrade --to 1.11.0');
      const v = await cli('validate', '-C', repo, '-q', '-o', 'json');
      expect((JSON.parse(v.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toContain('upgrade/path');
    } finally {
      gitIn(repo, 'checkout', '--', 'calisti.yaml');
    }
  }, 120_000);

  it('a Renovate-style chart bump and an in-place Istio image bump fail validate with version/mismatch', async () => {
    const appset = join(repo, 'apps', 'smm-operator', 'app-set.yaml');
    edit(appset, 'targetRevision: 1.10.0', 'targetRevision: 1.12.0');
    const istio = gitIn(repo, 'ls-files', 'manifests')
      .split('\n')
      .find((f) => /istio-cp-v\d+x\.yaml$/.test(f) && f.includes('/base/'))!;
    const text = readFileSync(join(repo, istio), 'utf8');
    const tag = /proxyv2:(v[\w.-]+)/.exec(text)![1]!;
    writeFileSync(join(repo, istio), text.replaceAll(`proxyv2:${tag}`, 'proxyv2:v9.9.9'));
    try {
      const v = await cli('validate', '-C', repo, '-q', '-o', 'json');
      expect(v.code).toBe(1);
      const found = (JSON.parse(v.stdout) as { findings: { rule: string; message: string; file?: string }[] }).findings.filter(
        (f) => f.rule === 'version/mismatch',
      );
      const chart = found.find((f) => f.file === 'apps/smm-operator/app-set.yaml');
      expect(chart?.message).toContain('1.12.0');
      expect(chart?.message).toContain('1.10.0');
      expect(chart?.message).toContain('calisti-gitops generate --force');
      expect(found.some((f) => f.file === istio && f.message.includes('v9.9.9'))).toBe(true);

      // outdated shows what the repo deploys next to what the model says.
      const o = await cli('outdated', '-C', repo, '-o', 'json');
      const deployed = (JSON.parse(o.stdout) as { deployed: { file: string; deployed: string; model: string }[] }).deployed;
      expect(deployed).toContainEqual(expect.objectContaining({ file: 'apps/smm-operator/app-set.yaml', deployed: '1.12.0', model: '1.10.0' }));
      expect(deployed.some((d) => d.file === istio && d.deployed.endsWith('proxyv2:v9.9.9'))).toBe(true);
    } finally {
      gitIn(repo, 'checkout', '--', '.');
    }
  }, 120_000);

  it('upgrade run with --no-commit, then re-run without it, commits the pending upgrade', async () => {
    expect((await cli('upgrade', '-C', repo, '--to', '1.11.0', '--no-commit')).code).toBe(0);
    const r = await cli('upgrade', '-C', repo, '--to', '1.11.0');
    expect(r.code).toBe(0);
    expect(gitIn(repo, 'log', '-1', '--format=%s')).toContain('upgrade 1.10.0 -> 1.11.0');
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
  }, 120_000);
});

describe('validate refuses to check nothing', () => {
  it('exits 2 on a folder without calisti.yaml, with a JSON error under -o json', async () => {
    const empty = tempDir();
    mkdirSync(join(empty, 'sub'));
    const r = await cli('validate', '-C', join(empty, 'sub'), '-o', 'json');
    expect(r.code).toBe(2);
    const err = (JSON.parse(r.stdout) as { error: { message: string; hint: string } }).error;
    expect(err.message).toContain('is not a calisti-gitops repo');
    expect(err.hint).toContain('-C <repo>');
  });

  it('--crds takes one value, so a following positional is the repo', async () => {
    const empty = tempDir();
    const r = await cli('validate', '--crds', join(empty, 'none.yaml'), empty);
    // The repo positional was read as the repo (not a CRD path): it is refused as no calisti-gitops repo.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${empty} is not a calisti-gitops repo`);
  });
});

describe('-o json errors', () => {
  it('a failing command prints {"error": {message, hint}} on stdout with its exit code', async () => {
    const r = await cli('upgrade', '-C', tempDir(), '--to', '1.12.0', '-o', 'json');
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout) as { error: { message: string; hint: string | null } };
    expect(parsed.error.message).toContain('not the root of a git repository');
  });
});
