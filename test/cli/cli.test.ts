import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolkitRoot, toolkitVersion } from '../../src/toolkit.js';
import { cli, tempDir } from '../helpers.js';

const bin = join(toolkitRoot, 'bin', 'calisti-gitops');

describe('command line', () => {
  it('runs as ./bin/calisti-gitops with JSON on stdout and messages on stderr', () => {
    const dir = join(tempDir(), 'repo');
    const r = spawnSync(bin, ['init', dir, '--example', 'single-cluster', '-o', 'json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(out.created).toContain('apps/smm-controlplane/app-set.yaml');
    const again = spawnSync(bin, ['generate', '-C', dir], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/no change/);
  });

  it('writes the same prose from the bundle (templates compiled ahead) as from the sources', async () => {
    const top = tempDir();
    const bundled = join(top, 'bundled');
    const r = spawnSync(bin, ['init', bundled, '--example', 'multi-cluster'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    // The bundle carries the templates compiled (npm run build); the sources compile them on first use.
    const chunks = join(toolkitRoot, 'dist/cli/chunks');
    expect(readdirSync(chunks).some((f) => readFileSync(join(chunks, f), 'utf8').includes('"compiler": [8'))).toBe(true);
    const fromSources = join(top, 'sources');
    expect((await cli('init', fromSources, '--example', 'multi-cluster')).code).toBe(0);
    for (const f of ['README.md', 'export-secrets.sh']) expect(readFileSync(join(bundled, f), 'utf8')).toBe(readFileSync(join(fromSources, f), 'utf8'));
  });

  it('bundles zod with its English messages only, and reports a model error in English from the bundle', () => {
    const chunks = join(toolkitRoot, 'dist/cli/chunks');
    const text = readdirSync(chunks).map((f) => readFileSync(join(chunks, f), 'utf8'));
    expect(text.some((t) => t.includes('node_modules/zod/v4/locales/en.js'))).toBe(true);
    expect(text.some((t) => t.includes('node_modules/zod/v4/locales/de.js'))).toBe(false);
    const dir = join(tempDir(), 'repo');
    mkdirSync(dir);
    writeFileSync(join(dir, 'calisti.yaml'), 'apiVersion: calisti-gitops.io/v1alpha1\nkind: Fleet\ncalisti: {version: 7}\n');
    const r = spawnSync(bin, ['validate', '-C', dir, '-o', 'json'], { encoding: 'utf8' });
    // zod's English text, through the bundle: another locale, or none, would word it otherwise.
    expect(r.stdout).toMatch(/git: is required \(Invalid input: expected object, received undefined\)/);
  });

  it('prints the version and help with an example per command', async () => {
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(toolkitVersion);
    const leaves = [
      ['init'],
      ['generate'],
      ['validate'],
      ['diff'],
      ['upgrade'],
      ['outdated'],
      ['istio', 'migrate'],
      ['istio', 'prune'],
      ['seal'],
      ['clusters', 'add'],
      ['trust'],
      ['bootstrap'],
      ['status'],
    ];
    for (const cmd of leaves) {
      const r = await cli(...cmd, '--help');
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout, cmd.join(' ')).toMatch(/Examples?:\n\s+\$ calisti-gitops/);
    }
  });

  it('exits 2 on usage errors and 1 on model errors', async () => {
    expect((await cli('generate', '--bogus')).code).toBe(2);
    expect((await cli('init')).code).toBe(2);
    expect((await cli('init', join(tempDir(), 'x'), '--example', 'nope')).code).toBe(2);
    expect((await cli('generate', '-o', 'yaml')).code).toBe(2);
    const missing = await cli('init', join(tempDir(), 'x'), '-f', join(tempDir(), 'absent.yaml'));
    expect(missing.code).toBe(1);
  });
});

describe('errors bots can read', () => {
  it('-o json: a failing command prints {"error": ...} on stdout with the same exit code', async () => {
    const dir = join(tempDir(), 'empty');
    mkdirSync(dir);
    const v = await cli('validate', '-C', dir, '-o', 'json');
    expect(v.code).toBe(2);
    expect(JSON.parse(v.stdout).error).toMatchObject({
      message: expect.stringContaining('not a calisti-gitops repo'),
      hint: expect.stringContaining('calisti-gitops init'),
    });
    const model = join(tempDir(), 'bad.yaml');
    writeFileSync(model, 'apiVersion: calisti-gitops.io/v1alpha1\nkind: Fleet\nclusters: 3\n');
    const g = await cli('init', join(tempDir(), 'r'), '-f', model, '-o', 'json');
    expect(g.code).toBe(1);
    expect(JSON.parse(g.stdout).error.findings[0]).toMatchObject({ file: expect.any(String), line: expect.any(Number), path: expect.any(String) });
  });

  it('validate never takes a wrong folder or a swallowed argument for a clean repo', async () => {
    const sub = join(tempDir(), 'sub');
    mkdirSync(sub);
    expect((await cli('validate', '-C', sub, '--strict')).code).toBe(2);
    // --crds takes one value per flag: the repo after it is the repo, not a CRD.
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const r = await cli('validate', '--crds', join(dir, 'calisti.yaml'), dir, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.applications).toBeGreaterThan(0);
  });
});
