/** validate's machine outputs against their schemas: our JSON schema and the official SARIF 2.1.0 one. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemasDir, toolkitRoot } from '../../src/toolkit.js';
import { cli, CRD_ARGS, tempDir } from '../helpers.js';

const require = createRequire(import.meta.url);
type AjvLike = new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null } };
const Ajv2020: AjvLike = require('ajv/dist/2020').default;
const AjvDraft4: AjvLike = require('ajv-draft-04').default;
const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const reportSchema = JSON.parse(readFileSync(join(schemasDir, 'validate-report.schema.json'), 'utf8'));
const crdArgs = CRD_ARGS;

let dir: string;
beforeAll(async () => {
  dir = join(tempDir(), 'repo');
  expect((await cli('init', dir, '--example', 'active-active')).code).toBe(0);
  // Give it errors too, so every field is exercised.
  const ns = join(dir, 'manifests/demo-app/base/demo-app-namespace.yaml');
  writeFileSync(ns, readFileSync(ns, 'utf8').replace('cp-v115x.istio-system', 'cp-v999x.istio-system'));
});

describe('validate output', () => {
  it('-o json matches schemas/validate-report.schema.json and exits 1 on errors', async () => {
    const r = await cli('validate', '-C', dir, '-o', 'json', ...crdArgs);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(
      report.findings.some(
        (f: { rule: string; file?: string; line?: number }) =>
          f.rule === 'namespace/istio-rev-unknown' && f.file === 'manifests/demo-app/base/demo-app-namespace.yaml' && f.line === 1,
      ),
    ).toBe(true);
  });

  it('-o sarif is valid SARIF 2.1.0 with every rule described', async () => {
    const r = await cli('validate', '-C', dir, '-o', 'sarif', ...crdArgs);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    const validate = new AjvDraft4({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(sarifSchema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    for (const res of results) expect(sarif.runs[0].tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
  });

  it('text output groups by cluster and resource with file:line, and exits 0 on a clean repo', async () => {
    const bad = await cli('validate', '-C', dir, ...crdArgs);
    expect(bad.stderr).toMatch(
      /cluster workload-cluster-1:\n(.*\n)* {2}Namespace\/smm-demo {2}\(manifests\/demo-app\/base\/demo-app-namespace\.yaml:1\)\n {4}ERROR namespace\/istio-rev-unknown/,
    );
    const clean = join(tempDir(), 'clean');
    expect((await cli('init', clean)).code).toBe(0);
    const ok = await cli('validate', '-C', clean, ...crdArgs);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/^ok: 0 error\(s\), 4 warning\(s\)/m);
    // --strict makes the unsealed placeholders fail, as in the pre-push hook.
    expect((await cli('validate', '-C', clean, '--strict', ...crdArgs)).code).toBe(1);
  });

  it('exits 2 with an install hint when neither kustomize nor kubectl exists', async () => {
    const path = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      const r = await cli('validate', '-C', dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/neither kustomize nor kubectl.*\n.*install kubectl/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('installs a pre-push hook that runs validate --strict', async () => {
    const r = await cli('validate', '-C', dir, '--install-hook');
    expect(r.code).toBe(0);
    const hook = readFileSync(join(dir, '.git/hooks/pre-push'), 'utf8');
    expect(hook).toMatch(/validate --strict -C/);
  });

  it('the pre-push hook validates the pushed commits with the calisti-gitops on PATH, in core.hooksPath', async () => {
    const repo = join(tempDir(), 'r');
    cpSync(dir, repo, { recursive: true });
    const shims = tempDir();
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', repo, ...a], { encoding: 'utf8', env: { ...process.env, PATH: `${shims}:${process.env.PATH}` } });
    const remote = join(tempDir(), 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote]);
    git('remote', 'add', 'origin', remote);
    git('config', 'core.hooksPath', '.githooks');
    // A stand-in on PATH records what the hook runs and which commit it sees; it fails when told to.
    const log = join(shims, 'log');
    writeFileSync(
      join(shims, 'calisti-gitops'),
      `#!/bin/sh\nfor a; do case "$a" in -C) next=1 ;; *) [ -n "$next" ] && tree="$a"; next= ;; esac; done\necho "$* HEAD=$(git -C "$tree" rev-parse HEAD)" >> ${log}\n[ ! -f ${join(shims, 'fail')} ]\n`,
      { mode: 0o755 },
    );
    expect((await cli('validate', '-C', repo, '--install-hook')).code).toBe(0);
    expect(existsSync(join(repo, '.githooks/pre-push'))).toBe(true);
    const first = git('rev-parse', 'HEAD').trim();
    writeFileSync(join(repo, 'calisti.yaml'), 'not: [valid\n'); // the working tree is not what is pushed
    git('push', '-q', 'origin', 'HEAD:refs/heads/main');
    let lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^validate --strict -C \\S+ HEAD=${first}$`));
    git('checkout', '-q', '--', 'calisti.yaml');
    git('commit', '-q', '--allow-empty', '-m', 'next');
    const second = git('rev-parse', 'HEAD').trim();
    writeFileSync(join(shims, 'fail'), '');
    expect(() => git('push', '-q', 'origin', 'HEAD:refs/heads/main')).toThrow();
    lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines[1]).toBe(`validate --strict -C ${lines[1]!.split(' ')[3]} --base=${first} HEAD=${second}`);
    // The temporary worktrees are gone.
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('the pre-push hook with the real tool refuses a push that validate --strict fails', async () => {
    const repo = join(tempDir(), 'r');
    cpSync(dir, repo, { recursive: true });
    const shims = tempDir();
    writeFileSync(join(shims, 'calisti-gitops'), `#!/bin/sh\nexec '${process.execPath}' '${join(toolkitRoot, 'bin', 'calisti-gitops')}' "$@"\n`, {
      mode: 0o755,
    });
    const remote = join(tempDir(), 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote]);
    expect((await cli('validate', '-C', repo, '--install-hook')).code).toBe(0);
    const push = spawnSync('git', ['-C', repo, 'push', remote, 'HEAD:refs/heads/main'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${shims}:${process.env.PATH}` },
    });
    expect(push.status).not.toBe(0);
    expect(push.stderr).toMatch(/secret\/unsealed-placeholder/);
    expect(push.stderr).toMatch(/failed to push/);
  });

  it('rebuilds nothing the second time: builds come from the content-hash cache', async () => {
    const first = JSON.parse((await cli('validate', '-C', dir, '-o', 'json', ...crdArgs)).stdout);
    // A change no build reads: the last report cannot stand, but every build is still cached.
    writeFileSync(join(dir, 'NOTES.md'), 'not a manifest\n');
    const again = JSON.parse((await cli('validate', '-C', dir, '-o', 'json', ...crdArgs)).stdout);
    expect(again.summary.reused).toBeUndefined();
    expect(again.summary.builds).toBe(0);
    expect(again.summary.cachedBuilds).toBeGreaterThan(0);
    expect(again.findings).toEqual(first.findings);
  });
});
