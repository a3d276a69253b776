/**
 * validate, diff and graph on fleets whose names or paths are not the plain ones: a cluster Argo CD knows
 * by another name, the sealed-secrets chart from an HTTP Helm repository, a tree in a monorepo folder,
 * cluster names of 63 characters.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

const example = () => readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'multi-cluster', 'calisti.yaml'), 'utf8');
const rules = (stdout: string) => (JSON.parse(stdout).findings as { rule: string }[]).map((f) => f.rule);

async function repoWith(model: string): Promise<string> {
  const file = join(tempDir(), 'calisti.yaml');
  writeFileSync(file, model);
  const dir = join(tempDir(), 'repo');
  const r = await cli('init', dir, '-f', file);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('fleet names and paths', () => {
  it('a cluster Argo CD knows by another name keeps its checks, under the fleet name', async () => {
    const dir = await repoWith(
      example().replace('  - name: workload-cluster-1\n', '  - name: workload-cluster-1\n    argocd:\n      name: arn-aws-eks-eu-west-1-prod\n'),
    );
    const r = await cli('validate', '-C', dir, '-o', 'json');
    const found = rules(r.stdout);
    expect(found).not.toContain('app/destination-unknown');
    expect(found).not.toContain('multicluster/no-active');
    expect(JSON.parse(r.stdout).summary.clusters).toBe(3); // in-cluster + both workload clusters
    const graph = await cli('graph', '-C', dir, '-o', 'json');
    expect(graph.stdout).toContain('workload-cluster-1');
  });

  it('the sealed-secrets chart from its HTTP Helm repository is no malformed OCI reference', async () => {
    const dir = await repoWith(`${example()}sealedSecrets:\n  install: true\n`);
    expect(rules((await cli('validate', '-C', dir, '-o', 'json')).stdout)).not.toContain('helm/oci-reference');
  });

  it('a tree in a monorepo folder: validate and diff build from the repository root', async () => {
    const mono = join(tempDir(), 'mono');
    mkdirSync(mono);
    execFileSync('git', ['init', '-q', mono]);
    writeFileSync(join(mono, 'README.md'), 'other things\n');
    execFileSync('git', ['-C', mono, 'add', '.']);
    execFileSync('git', ['-C', mono, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init']);
    expect((await cli('init', mono, '--path', 'platform/calisti', '--example', 'multi-cluster')).code).toBe(0);
    const tree = join(mono, 'platform', 'calisti');
    const v = JSON.parse((await cli('validate', '-C', tree, '-o', 'json')).stdout);
    expect(v.summary).toMatchObject({ errors: 0, applications: 7, clusters: 3 });
    writeFileSync(join(tree, 'calisti.yaml'), readFileSync(join(tree, 'calisti.yaml'), 'utf8').replace('network: workload-cluster-2', 'network: net2'));
    const d = JSON.parse((await cli('diff', '-C', tree, '-o', 'json')).stdout);
    expect(Object.keys(d.clusters)).toEqual(['workload-cluster-2']);
  });
  it('63-character cluster names sharing a prefix: every Application name fits 63, one per app and cluster, the same in validate, diff, graph and clusters remove', async () => {
    const stem = 'workload-cluster-in-a-long-region-name-eu-west-1-production-';
    const [one, two] = ['01', '02'].map((n) => `${stem}${n}`.padEnd(63, 'x'));
    expect(one).toHaveLength(63);
    const dir = await repoWith(`${example().replaceAll('workload-cluster-1', one!).replaceAll('workload-cluster-2', two!)}sealedSecrets:\n  install: true\n`);
    const names: string[] = [];
    for (const app of readdirSync(join(dir, 'apps'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const r = await cli('appset', 'generate', join(dir, 'apps', app.name, 'app-set.yaml'), '-o', 'json');
      expect(r.code, r.stderr).toBe(0);
      names.push(...(JSON.parse(r.stdout) as { metadata: { name: string } }[]).map((a) => a.metadata.name));
    }
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const n of names) expect(n.length, n).toBeLessThanOrEqual(63);
    expect(new Set(names).size).toBe(names.length);
    const v = JSON.parse((await cli('validate', '-C', dir, '-o', 'json')).stdout);
    expect(v.summary.errors, JSON.stringify(v.findings.filter((f: { severity: string }) => f.severity === 'error'))).toBe(0);
    expect(rules(JSON.stringify(v))).not.toContain('app/name-too-long');
    expect(v.summary.applications).toBeGreaterThanOrEqual(names.length); // and the root app, the management cluster's sealed-secrets
    expect((await cli('diff', '-C', dir, '-o', 'json')).code).toBe(0);
    const graph = JSON.parse((await cli('graph', '-C', dir, '-o', 'json')).stdout) as { networks: { clusters: { applications: string[] }[] }[] };
    const drawn = graph.networks.flatMap((n) => n.clusters.flatMap((c) => c.applications));
    expect(drawn.length).toBeGreaterThanOrEqual(6);
    expect(names).toEqual(expect.arrayContaining(drawn));
    // clusters remove names the Applications Argo CD would delete by the same names.
    const refused = await cli('clusters', 'remove', two!, '-C', dir);
    const listed = /deletes its Applications \(([^)]*)\)/.exec(refused.stderr)?.[1]?.split(', ') ?? [];
    expect(listed.length).toBeGreaterThanOrEqual(3);
    expect(names).toEqual(expect.arrayContaining(listed));
  });
});
