// @vitest-environment jsdom
/**
 * Pictures of the fleet: golden Mermaid for the examples and a mid-canary fleet, each parsed by Mermaid's
 * own parser (mermaid 11 under jsdom: its flowchart grammar needs a DOM to load) and laid out by Graphviz.
 * Refresh the goldens after a deliberate change with: npx vitest run -u test/graph/graph.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeMarkdown } from '../../src/graph/change.js';
import { collapse, MAX_CLUSTERS } from '../../src/graph/collapse.js';
import { toDot } from '../../src/graph/dot.js';
import { toMermaid } from '../../src/graph/mermaid.js';
import { fleetGraph } from '../../src/graph/model.js';
import { dotToSvg } from '../../src/graph/svg.js';
import { examplesDir, toolkitRoot } from '../../src/toolkit.js';
import type { Cluster as ClusterInfo } from '../../src/argocd/engine.js';
import type { ClusterView } from '../../src/validate/mesh.js';
import { cli, tempDir } from '../helpers.js';

const golden = (name: string) => join(toolkitRoot, 'test', 'golden', 'graph', name);

async function parsesAsMermaid(text: string): Promise<void> {
  const { default: mermaid } = await import('mermaid');
  await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
}

async function repoAt(example: string, version?: string): Promise<string> {
  const model = join(tempDir(), 'calisti.yaml');
  const text = readFileSync(join(examplesDir, example, 'calisti.yaml'), 'utf8');
  writeFileSync(model, version ? text.replace('version: 1.12.0', `version: ${version}`) : text);
  const dir = join(tempDir(), 'repo');
  const r = await cli('init', dir, '-f', model);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

async function graphOf(dir: string, format = 'mermaid'): Promise<string> {
  const r = await cli('graph', '-C', dir, '-o', format);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('graph of the examples', () => {
  it.each(['single-cluster', 'multi-cluster', 'active-active'])('%s: golden Mermaid that Mermaid parses, DOT that Graphviz lays out', async (example) => {
    const dir = await repoAt(example);
    const text = await graphOf(dir);
    await expect(text).toMatchFileSnapshot(golden(`${example}.mmd`));
    await parsesAsMermaid(text);
    expect(await graphOf(dir)).toBe(text);
    expect(await graphOf(dir, 'svg')).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    const json = JSON.parse(await graphOf(dir, 'json'));
    expect(json.networks.length).toBeGreaterThan(0);
    // The README's picture, drawn from the model, parses too and names the same clusters and revisions.
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    await parsesAsMermaid(block);
    const names = (t: string) => [...t.matchAll(/"([^"]*(?:·|ns |gw )[^"]*)"/g)].map((m) => m[1] ?? '').sort();
    expect(names(block)).toEqual(names(text).filter((n) => !n.startsWith('apps:')));
  });

  it('mid-canary 1.10 -> 1.11: both revisions on each cluster, namespaces still on the old one', async () => {
    const dir = await repoAt('active-active', '1.10.0');
    const up = await cli('upgrade', '--to', '1.11.0', '-C', dir);
    expect(up.code, up.stderr).toBe(0);
    const text = await graphOf(dir);
    await expect(text).toMatchFileSnapshot(golden('active-active-canary-1.10-1.11.mmd'));
    await parsesAsMermaid(text);
    const json = JSON.parse(await graphOf(dir, 'json'));
    for (const net of json.networks) for (const c of net.clusters) expect(c.revisions.length).toBe(2);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/cp-v113x\.istio-system · Istio 1\.13\.5[\s\S]*cp-v115x\.istio-system · Istio 1\.15\.3/);
  });

  it('a missing repo is a clear error, not a stack trace', async () => {
    const r = await cli('graph', '-C', join(tempDir(), 'nope'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/is not a folder/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('a 1,000-cluster fleet', () => {
  const icp = (name: string, version: string) => ({
    obj: { kind: 'IstioControlPlane', metadata: { name, namespace: 'istio-system' }, spec: { version, mode: 'ACTIVE' } },
    application: 'smm-cp',
  });
  const ns = (name: string, rev: string) => ({
    obj: { kind: 'Namespace', metadata: { name, labels: { 'istio.io/rev': `${rev}.istio-system` } } },
    application: 'demo',
  });
  const clusters: ClusterInfo[] = [];
  const views = new Map<string, ClusterView>();
  for (let i = 0; i < 1000; i++) {
    const name = `c${String(i).padStart(4, '0')}`;
    clusters.push({
      name,
      server: `https://${name}`,
      labels: { 'calisti.io/role': i % 10 === 0 ? 'active' : 'passive', 'calisti.io/network': `net${i % 40}`, 'calisti.io/platform': 'kubernetes' },
      annotations: {},
    });
    const canary = i % 3 === 0;
    views.set(name, {
      cluster: name,
      resources: [icp('cp-v115x', '1.15.3'), ...(canary ? [icp('cp-v117x', '1.17.1')] : []), ns('smm-demo', canary && i % 2 === 0 ? 'cp-v117x' : 'cp-v115x')],
    });
  }

  it(`groups clusters of one shape: <= 60 nodes and <= 20 KB of Mermaid that parses`, async () => {
    const text = toMermaid(collapse(fleetGraph(clusters, views)));
    const nodes = text.split('\n').filter((l) => /^\s+(subgraph )?[a-z]+\d+[[{(]/.test(l)).length;
    expect(nodes).toBeLessThanOrEqual(60);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(20 * 1024);
    expect(text).toMatch(/\d+ clusters \(c0000 … /);
    await parsesAsMermaid(text);
    expect(await dotToSvg(toDot(collapse(fleetGraph(clusters, views))))).toMatch(/<svg/);
  });

  it(`a fleet of at most ${MAX_CLUSTERS} clusters is drawn cluster by cluster`, () => {
    const small = clusters.slice(0, MAX_CLUSTERS);
    expect(collapse(fleetGraph(small, views))).toEqual(fleetGraph(small, views));
  });
});

describe('diff -o markdown picture', () => {
  const view = (cluster: string, revs: string[], nsRev: string): ClusterView => ({
    cluster,
    resources: [
      ...revs.map((r) => ({
        obj: {
          kind: 'IstioControlPlane',
          metadata: { name: r, namespace: 'istio-system' },
          spec: { version: r === 'cp-v115x' ? '1.15.3' : '1.13.5', mode: 'ACTIVE' },
        },
        application: `smm-cp-${cluster}`,
      })),
      { obj: { kind: 'Namespace', metadata: { name: 'smm-demo', labels: { 'istio.io/rev': `${nsRev}.istio-system` } } }, application: `demo-${cluster}` },
    ],
  });
  const info = (name: string): ClusterInfo => ({
    name,
    server: `https://${name}`,
    labels: { 'calisti.io/role': 'active', 'calisti.io/network': 'n1', 'calisti.io/platform': 'kubernetes' },
    annotations: {},
  });

  it('shows only clusters whose mesh shape changes, before and after, as Mermaid that parses', async () => {
    const before = fleetGraph(
      [info('a'), info('b')],
      new Map([
        ['a', view('a', ['cp-v113x'], 'cp-v113x')],
        ['b', view('b', ['cp-v113x'], 'cp-v113x')],
      ]),
    );
    const after = fleetGraph(
      [info('a'), info('b'), info('c')],
      new Map([
        ['a', view('a', ['cp-v113x', 'cp-v115x'], 'cp-v115x')],
        ['b', view('b', ['cp-v113x'], 'cp-v113x')],
        ['c', view('c', ['cp-v115x'], 'cp-v115x')],
      ]),
    );
    const md = changeMarkdown(before, after);
    expect(md).toMatch(/2 cluster\(s\) change shape/);
    expect(md).not.toMatch(/"b · /);
    const blocks = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).not.toMatch(/cp-v115x/);
    expect(blocks[1]).toMatch(/"c · active/);
    for (const b of blocks) await parsesAsMermaid(b);
    expect(changeMarkdown(before, before)).toBe('');
  });
});
