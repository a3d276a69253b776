/**
 * A warm validate reuses the last report only while nothing it reads has changed: the repo's files
 * (committed, changed, untracked), its refs, the options, the schema cache.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

interface Report {
  ok: boolean;
  summary: { reused?: boolean; builds: number; errors: number };
  findings: { rule: string; file?: string }[];
}

let dir: string;
const validate = async (...flags: string[]): Promise<Report> => JSON.parse((await cli('validate', '-C', dir, '-o', 'json', ...flags)).stdout);
const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  dir = join(tempDir(), 'repo');
  expect((await cli('init', dir, '--example', 'single-cluster')).code).toBe(0);
});

describe('validate: the last report, while nothing changed', () => {
  it('is reused as it was, and says so', async () => {
    const cold = await validate();
    expect(cold.summary.reused).toBeUndefined();
    const warm = await validate();
    expect(warm.summary.reused).toBe(true);
    expect(warm.summary.builds).toBe(0);
    expect(warm.findings).toEqual(cold.findings);
    const text = await cli('validate', '-C', dir);
    expect(text.stderr).toMatch(/unchanged since the last validate/);
  });

  it('is not reused after a change to a tracked file, and the change is seen', async () => {
    await validate();
    const ns = join(dir, 'manifests/demo-app/base/demo-app-namespace.yaml');
    appendFileSync(ns, '  annotations:\n    note: changed\n');
    const after = await validate();
    expect(after.summary.reused).toBeUndefined();
    git('checkout', '--', '.');
    expect((await validate()).summary.reused).toBe(true);
  });

  it('is not reused when an untracked file appears: a leak in it is found', async () => {
    await validate();
    writeFileSync(join(dir, 'stray.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: stray\nstringData:\n  password: hunter2-not-a-placeholder\n');
    const after = await validate();
    expect(after.summary.reused).toBeUndefined();
    expect(after.findings.some((f) => f.rule === 'secret/plaintext' && f.file === 'stray.yaml')).toBe(true);
    git('clean', '-fq');
  });

  it('is not reused with other options, a moved ref, a new commit or --no-cache', async () => {
    await validate();
    expect((await validate('--strict')).summary.reused).toBeUndefined();
    expect((await validate('--strict')).summary.reused).toBe(true);
    git('branch', '-f', 'elsewhere');
    expect((await validate()).summary.reused).toBeUndefined();
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'empty');
    expect((await validate()).summary.reused).toBeUndefined();
    expect((await validate('--no-cache')).summary.reused).toBeUndefined();
  });

  it('is not reused when the schema cache changes (schemas pull)', async () => {
    const cache = tempDir();
    const before = process.env.CALISTI_GITOPS_CACHE;
    process.env.CALISTI_GITOPS_CACHE = cache;
    try {
      await validate();
      expect((await validate()).summary.reused).toBe(true);
      mkdirSync(join(cache, 'schemas', 'istio-operator'), { recursive: true });
      writeFileSync(join(cache, 'schemas', 'istio-operator', 'v0.yaml'), '# pulled\n');
      expect((await validate()).summary.reused).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.CALISTI_GITOPS_CACHE;
      else process.env.CALISTI_GITOPS_CACHE = before;
    }
  });

  it('never reads what an untracked symlink points at, nor a FIFO (a hostile tree must not hang or fill memory)', async () => {
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    try {
      await validate();
      expect((await validate()).summary.reused).toBe(true);
    } finally {
      git('clean', '-fq');
    }
  });

  it('a corrupt stored report is ignored, not trusted', async () => {
    await validate();
    const reports = join(dir, '.git', 'calisti-gitops', 'build-cache', 'reports');
    for (const f of readdirSync(reports)) writeFileSync(join(reports, f), '{"ok": tru');
    const r = await validate();
    expect(r.summary.reused).toBeUndefined();
    expect(r.findings.length).toBeGreaterThan(0);
  });
});
