/** npm run bench (part two): the ApplicationSet engine on 1,000 list elements and 1,000 cluster Secrets. */
import { performance } from 'node:perf_hooks';
import { expand, type Cluster } from '../src/argocd/engine.js';

const template = { metadata: { name: '{{name}}-app' }, spec: { project: 'default', source: { repoURL: 'https://git.example.com/r.git', path: 'apps/{{name}}' }, destination: { server: '{{server}}' } } };
const set = (generators: unknown[]) => ({ metadata: { name: 'bench', namespace: 'argocd' }, spec: { template, generators } });

function time(label: string, fn: () => number): void {
  fn(); // warm-up
  const t = performance.now();
  const n = fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - t).toFixed(1).padStart(8)} ms  (${n} Applications)`);
}

const clusters: Cluster[] = Array.from({ length: 1000 }, (_, i) => ({ name: `c${i}`, server: `https://c${i}.example.com`, labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: i % 2 ? 'prod' : 'dev' }, annotations: {} }));
const elements = clusters.map((c) => ({ name: c.name, server: c.server }));
time('appset generate: list, 1,000 elements', () => expand(set([{ list: { elements } }]), { clusters }).apps.length);
const bySecret = [{ clusters: { selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } } } }];
time('appset generate: clusters, 1,000 cluster Secrets', () => expand(set(bySecret), { clusters }).apps.length);
