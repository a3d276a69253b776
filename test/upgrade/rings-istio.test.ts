/**
 * A whole ring rollout with an Istio minor change, against real git and the real kustomize: the
 * canary ring upgrades, its namespaces move to the new control plane on its clusters only (the rest
 * keep theirs), prune refuses while a cluster still needs the old one, `outdated` names the next
 * ring at every stage, the last ring and its move bring the model back to its one-release form,
 * and validate passes at every commit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findKustomize, kustomizeBuild } from '../../src/kustomize/build.js';
import { git } from '../../src/repo/git.js';
import { examplesDir } from '../../src/toolkit.js';
import { cli, CRD_ARGS, parseYamlDocs, snapshot, tempDir } from '../helpers.js';

const MESH = `gateways:
  - { name: gw, namespace: shop-gw, clusters: [workload-cluster-1, workload-cluster-2], ports: [{ name: http, port: 8080 }] }
namespaces:
  - { name: shop }
rings:
  - { name: canary, clusters: [workload-cluster-1] }
  - { name: rest, clusters: [workload-cluster-2] }
`;

async function repo(): Promise<string> {
  const model = join(tempDir(), 'calisti.yaml');
  writeFileSync(model, `${readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8').replace('version: 1.12.0', 'version: 1.10.0')}${MESH}`);
  const dir = join(tempDir(), 'repo');
  const r = await cli('init', dir, '-f', model);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

/** What a cluster receives: each namespace's istio.io/rev, the DemoApplication's and the mesh gateway's control plane. */
async function revisions(dir: string, cluster: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const app of ['smm-controlplane', 'demo-app']) {
    const b = await kustomizeBuild(findKustomize(), join(dir, 'manifests', app, 'overlays', cluster));
    expect(b.ok, b.stderr).toBe(true);
    for (const o of parseYamlDocs(b.yaml)) {
      const rev = o.metadata?.labels?.['istio.io/rev'];
      if (o.kind === 'Namespace' && rev) out[o.metadata.name] = rev.split('.')[0];
      if (o.kind === 'DemoApplication') out.DemoApplication = o.spec.istio.revision.split('.')[0];
      if (o.kind === 'IstioMeshGateway') out.IstioMeshGateway = o.spec.istioControlPlane.name;
    }
  }
  return out;
}
const on = (r: string) => ({ 'smm-demo': r, shop: r, DemoApplication: r, IstioMeshGateway: r });

async function validates(dir: string): Promise<void> {
  const r = await cli('validate', '-C', dir, '-o', 'json', ...CRD_ARGS);
  const errors = JSON.parse(r.stdout).findings.filter((f: { severity: string }) => f.severity === 'error');
  expect(errors, r.stderr).toEqual([]);
}

const nextRing = async (dir: string) => JSON.parse((await cli('outdated', '-C', dir, '-o', 'json')).stdout).nextRing?.command ?? null;
const model = (dir: string) => parse(readFileSync(join(dir, 'calisti.yaml'), 'utf8'));

describe('a ring rollout with an Istio minor change', () => {
  it('upgrades and migrates ring by ring, keeping the other ring on its control plane', async () => {
    const dir = await repo();
    expect(await nextRing(dir)).toBe('calisti-gitops upgrade --to 1.11.0 --ring canary');
    expect((await cli('upgrade', '--to', '1.11.0', '--ring', 'canary', '-C', dir, '--commit')).code).toBe(0);
    expect(await nextRing(dir)).toBe('calisti-gitops upgrade --to 1.11.0 --ring rest');
    const text = await cli('outdated', '-C', dir);
    expect(text.stdout).toMatch(/canary +workload-cluster-1 +1\.11\.0 +cp-v115x +-\n/);
    expect(text.stdout).toMatch(/rest +workload-cluster-2 +1\.10\.0 +cp-v113x +1\.11\.0/);

    // The rest ring does not run cp-v115x yet: refused, naming the step that gets it there.
    const before = snapshot(dir);
    const early = await cli('istio', 'migrate', '--namespace', 'smm-demo', '--to', 'cp-v115x', '--ring', 'rest', '-C', dir);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('control plane cp-v115x is not running on workload-cluster-2 (Calisti 1.10.0 runs cp-v113x)');
    expect(early.stderr).toContain('calisti-gitops upgrade --to 1.11.0 --ring rest');
    const unknown = await cli('istio', 'migrate', '--namespace', 'smm-demo', '--to', 'cp-v115x', '--cluster', 'workload-cluster-9', '-C', dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--cluster: no cluster "workload-cluster-9" in calisti.yaml');
    expect(snapshot(dir)).toEqual(before);

    const canary = await cli('istio', 'migrate', '--namespace', 'smm-demo,shop,shop-gw', '--to', 'cp-v115x', '--ring', 'canary', '-C', dir, '-o', 'json');
    expect(canary.code, canary.stderr).toBe(0);
    const moved = JSON.parse(canary.stdout);
    expect(moved.moved.map((m: { namespace: string; clusters: string[] }) => `${m.namespace}@${m.clusters.join(',')}`).sort()).toEqual([
      'shop-gw@workload-cluster-1',
      'shop@workload-cluster-1',
      'smm-demo@workload-cluster-1',
    ]);
    expect(moved.followUps).toEqual([
      'kubectl --context workload-cluster-1 rollout restart deployment -n shop',
      'kubectl --context workload-cluster-1 rollout restart deployment -n smm-demo',
    ]);
    expect(await revisions(dir, 'workload-cluster-1')).toEqual(on('cp-v115x'));
    expect(await revisions(dir, 'workload-cluster-2')).toEqual(on('cp-v113x'));
    expect(model(dir).demoApp).toMatchObject({ revision: 'cp-v113x', clusterRevisions: { 'workload-cluster-1': 'cp-v115x' } });
    expect((await git(dir).raw(['log', '-1', '--format=%s'])).trim()).toBe('chore(istio): move smm-demo, shop, shop-gw to cp-v115x on ring canary');
    await validates(dir);

    // The old control plane is still the rest ring's own, and still used.
    const prune = await cli('istio', 'prune', '-C', dir);
    expect(prune.code).toBe(1);
    expect(prune.stderr).toContain('cp-v113x is still the own control plane of Calisti 1.10.0 on workload-cluster-2, not pruned');

    expect((await cli('upgrade', '--to', '1.11.0', '--ring', 'rest', '-C', dir, '--commit')).code).toBe(0);
    expect(model(dir).calisti.version).toBe('1.11.0');
    expect(await revisions(dir, 'workload-cluster-2')).toEqual(on('cp-v113x'));
    await validates(dir);
    const used = await cli('istio', 'prune', '-C', dir);
    expect(used.code).toBe(1);
    expect(used.stderr).toContain('cp-v113x: namespace smm-demo (demo app) on workload-cluster-2');
    expect(used.stderr).not.toContain('workload-cluster-1');

    const rest = await cli('istio', 'migrate', '--namespace', 'smm-demo,shop,shop-gw', '--to', 'cp-v115x', '--ring', 'rest', '-C', dir);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stderr).toContain('moved namespace smm-demo (demo app) on workload-cluster-2: cp-v113x -> cp-v115x');
    expect(await revisions(dir, 'workload-cluster-2')).toEqual(on('cp-v115x'));
    // Every cluster on the release's own control plane: no pins, no per-cluster revisions left.
    const m = model(dir);
    expect([m.demoApp.revision, m.demoApp.clusterRevisions, m.gateways[0].revision, m.gateways[0].clusterRevisions, m.namespaces[0].revision]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect((await cli('istio', 'prune', '-C', dir)).code).toBe(0);
    expect(model(dir).istio).toBeUndefined();
    await validates(dir);
    expect(await nextRing(dir)).toBe('calisti-gitops upgrade --to 1.12.0 --ring canary');
  });
});
