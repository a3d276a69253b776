/** npm run bench (part two): the ApplicationSet engine on 1,000 list elements and 1,000 cluster Secrets. */
import { performance } from 'node:perf_hooks';
import { expand, type Cluster } from '../src/argocd/engine.js';
import { compileGoTemplateModule, renderGoTemplates } from '../src/argocd/gotemplate/index.js';

const template = {
  metadata: { name: '{{name}}-app' },
  spec: { project: 'default', source: { repoURL: 'https://git.example.com/r.git', path: 'apps/{{name}}' }, destination: { server: '{{server}}' } },
};
const set = (generators: unknown[]) => ({ metadata: { name: 'bench', namespace: 'argocd' }, spec: { template, generators } });

function time(label: string, fn: () => number): void {
  fn(); // warm-up
  const t = performance.now();
  const n = fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - t).toFixed(1).padStart(8)} ms  (${n} Applications)`);
}

const clusters: Cluster[] = Array.from({ length: 1000 }, (_, i) => ({
  name: `c${i}`,
  server: `https://c${i}.example.com`,
  labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: i % 2 ? 'prod' : 'dev' },
  annotations: {},
}));
const elements = clusters.map((c) => ({ name: c.name, server: c.server }));
time('appset generate: list, 1,000 elements', () => expand(set([{ list: { elements } }]), { clusters }).apps.length);
const bySecret = [{ clusters: { selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } } } }];
time('appset generate: clusters, 1,000 cluster Secrets', () => expand(set(bySecret), { clusters }).apps.length);

// goTemplate: Go's text/template + sprig as WebAssembly (src/argocd/gotemplate), one instance per batch.
{
  const t0 = performance.now();
  const module = compileGoTemplateModule();
  const compiled = performance.now();
  renderGoTemplates([{ template: '{{ .name }}', params: { name: 'warm-up' } }], []);
  console.log(
    `goTemplate: module compile ${(compiled - t0).toFixed(1)} ms, first batch ${(performance.now() - compiled).toFixed(1)} ms (${WebAssembly.Module.exports(module).length} exports)`,
  );
  const rate = (label: string, template: (i: number) => string) => {
    const jobs = Array.from({ length: 1000 }, (_, i) => ({
      template: template(i),
      params: { name: `app${i}`, labels: { env: i % 2 ? 'prod' : 'dev' }, replicas: i },
    }));
    renderGoTemplates(jobs, []);
    const runs = 5;
    const t = performance.now();
    for (let r = 0; r < runs; r++) renderGoTemplates(jobs, ['missingkey=error']);
    const ms = (performance.now() - t) / runs;
    console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  (${Math.round(1000 / (ms / 1000))} renders/s)`);
  };
  rate('goTemplate: 1,000 renders, one template', () => '{{ .name | normalize }}-{{ .labels.env }}');
  rate('goTemplate: 1,000 renders, distinct templates', (i) => `{{ .name | normalize }}-{{ .labels.env }}-${i}`);
}
