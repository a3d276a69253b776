import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { parseFleet } from '../../src/model/load.js';
import { examplesDir } from '../../src/toolkit.js';

const base = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8');

function problems(text: string) {
  try {
    parseFleet(text, 'calisti.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return (e as ModelError).problems;
  }
  throw new Error('expected the model to be rejected');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('parseFleet', () => {
  it('accepts every example and fills the documented defaults', () => {
    for (const ex of ['single-cluster', 'multi-cluster', 'active-active']) {
      const fleet = parseFleet(readFileSync(join(examplesDir, ex, 'calisti.yaml'), 'utf8'));
      expect(fleet.istio.namespace).toBe('istio-system');
      expect(fleet.argocd.namespace).toBe('argocd');
      expect(fleet.clusters.length).toBeGreaterThan(0);
    }
    const mc = parseFleet(base);
    expect(mc.clusters.map((c) => [c.name, c.role])).toEqual([
      ['workload-cluster-1', 'active'],
      ['workload-cluster-2', 'passive'],
    ]);
    expect(mc.argocd.syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: '5s', maxDuration: '3m0s', factor: 2 } });
  });

  it('locates a bad cluster name, including path tricks, at its line and column', () => {
    for (const bad of ['../x', 'Workload_1', 'a/b', '-x', 'x'.repeat(64)]) {
      const text = base.replace('name: workload-cluster-2', `name: ${JSON.stringify(bad)}`);
      const [p] = problems(text);
      expect(p).toMatchObject({ file: 'calisti.yaml', line: lineOf(text, JSON.stringify(bad)), path: 'clusters[1].name' });
      expect(p!.col).toBe(text.split('\n')[p!.line - 1]!.indexOf(JSON.stringify(bad)) + 1);
      expect(p!.message).toMatch(/RFC 1123|63/);
    }
  });

  it('rejects wrong types with the field path', () => {
    const text = base.replace('role: passive', 'role: 7');
    const [p] = problems(text);
    expect(p).toMatchObject({ path: 'clusters[1].role', line: lineOf(text, 'role: 7') });
  });

  it('rejects duplicate cluster names at the duplicate', () => {
    const text = base.replace('name: workload-cluster-2', 'name: workload-cluster-1');
    const ps = problems(text);
    expect(ps.some((p) => p.path === 'clusters[1].name' && /duplicate cluster name/.test(p.message))).toBe(true);
  });

  it('rejects an unknown Calisti version and lists the supported ones', () => {
    const text = base.replace('version: 1.12.0', 'version: 1.99.0');
    const [p] = problems(text);
    expect(p).toMatchObject({ path: 'calisti.version', line: lineOf(text, '1.99.0') });
    expect(p!.message).toContain('1.11.0');
  });

  it('rejects a fleet without an active cluster', () => {
    const text = base.replace('role: active', 'role: passive');
    expect(problems(text).some((p) => p.path === 'clusters' && /role: active/.test(p.message))).toBe(true);
  });

  it('rejects demo components placed on unknown clusters', () => {
    const text = base.replace('- cluster: workload-cluster-2', '- cluster: workload-cluster-9');
    const [p] = problems(text);
    expect(p).toMatchObject({ path: 'demoApp.placement[1].cluster', line: lineOf(text, 'workload-cluster-9') });
    expect(p!.message).toContain('unknown cluster');
  });

  it('rejects unknown demo components and unknown fields at the key', () => {
    const text = base.replace('components: [frontpage,', 'components: [frontpage, reviews,').replace('  targetRevision: HEAD', '  targetRevison: HEAD');
    const ps = problems(text);
    expect(ps.find((p) => p.path === 'git.targetRevison')).toMatchObject({ line: lineOf(text, 'targetRevison'), col: 3 });
    expect(ps.some((p) => p.path.startsWith('demoApp.placement[0].components'))).toBe(true);
  });

  it('reports YAML syntax errors with their position', () => {
    const text = base.replace('  - name: workload-cluster-2', '  - name: [workload-cluster-2');
    const [p] = problems(text);
    expect(p!.message).toMatch(/^YAML syntax/);
    expect(p!.line).toBeGreaterThanOrEqual(lineOf(text, '[workload-cluster-2'));
  });

  it('rejects an empty file and a missing required section', () => {
    expect(problems('')[0]).toMatchObject({ line: 1, col: 1 });
    expect(problems('# only a comment\n')[0]!.message).toMatch(/empty/);
    const noGit = base.replace(/^git:\n(  .*\n)+/m, '');
    expect(problems(noGit).find((p) => p.path === 'git')!.message).toMatch(/required/);
  });

  it('rejects gateways that cannot listen or sit in control-plane namespaces', () => {
    const text = `${base}gateways:\n  - name: gw\n    namespace: smm-system\n    clusters: [workload-cluster-1]\n    ports:\n      - name: http\n        port: 80\n`;
    const ps = problems(text);
    expect(ps.map((p) => p.path)).toEqual(expect.arrayContaining(['gateways[0].namespace', 'gateways[0].ports[0].port']));
  });

  it('survives alias bombs and oversized input with a located error', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expect(problems(bomb)[0]!.line).toBe(1);
    expect(problems('x: '.padEnd(2 * 1024 * 1024, 'y'))[0]!.message).toMatch(/larger than/);
  });
});
