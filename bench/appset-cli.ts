/**
 * npm run bench (part three): `appset generate` as users run it, whole processes, against Node's own start-up:
 * 1,000 list elements, and a cluster generator over 1,000 cluster Secrets. Median of 5 [min-max].
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'calisti-gitops');
const dir = mkdtempSync(join(tmpdir(), 'calisti-bench-appset-'));

function measure(argv: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    execFileSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'ignore'] });
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}
const fmt = (xs: number[]) => `${xs[xs.length >> 1]!.toFixed(0).padStart(6)} ms [${xs[0]!.toFixed(0)}-${xs[xs.length - 1]!.toFixed(0)}]`;

try {
  const template = {
    metadata: { name: '{{name}}-app' },
    spec: { project: 'default', source: { repoURL: 'https://git.example.com/r.git', path: 'apps/{{name}}' }, destination: { server: '{{server}}' } },
  };
  const appset = (generators: unknown[]) =>
    stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'bench', namespace: 'argocd' }, spec: { generators, template } });
  const names = Array.from({ length: 1000 }, (_, i) => `c${String(i).padStart(4, '0')}`);
  mkdirSync(join(dir, 'secrets'));
  writeFileSync(
    join(dir, 'secrets', 'clusters.yaml'),
    names
      .map((n) =>
        stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: n, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
          stringData: { name: n, server: `https://${n}.example.com` },
        }),
      )
      .join('---\n'),
  );
  writeFileSync(join(dir, 'list.yaml'), appset([{ list: { elements: names.map((n) => ({ name: n, server: `https://${n}.example.com` })) } }]));
  writeFileSync(join(dir, 'clusters.yaml'), appset([{ clusters: { selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } } } }]));
  const node = measure(['-e', '']);
  console.log('appset generate, whole processes:');
  console.log(`  node -e ''  (start-up floor)              ${fmt(node)}`);
  console.log(
    `  1,000 list elements                       ${fmt(measure([bin, 'appset', 'generate', join(dir, 'list.yaml'), '--cluster-secrets', join(dir, 'secrets'), '-o', 'json']))}`,
  );
  console.log(
    `  clusters generator, 1,000 cluster Secrets ${fmt(measure([bin, 'appset', 'generate', join(dir, 'clusters.yaml'), '--cluster-secrets', join(dir, 'secrets'), '-o', 'json']))}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
