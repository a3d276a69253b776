/**
 * A fleet upgrades ring by ring: `upgrade --ring canary` moves only the canary's clusters (their own
 * base, chart version and Istio control planes), validate accepts the fleet mid-rollout, and the
 * last ring brings calisti.version along, leaving the model in its one-release form. The model
 * refuses rings that are not one supported step ahead, or overlap.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ModelError } from '../../src/errors.js';
import { findKustomize, kustomizeBuild } from '../../src/kustomize/build.js';
import { parseFleet } from '../../src/model/load.js';
import { git } from '../../src/repo/git.js';
import { examplesDir } from '../../src/toolkit.js';
import { checkTransition } from '../../src/upgrade/transition.js';
import { cli, CRD_ARGS, parseYamlDocs, snapshot, tempDir } from '../helpers.js';

const RINGS = 'rings:\n  - { name: canary, clusters: [workload-cluster-1] }\n  - { name: rest, clusters: [workload-cluster-2] }\n';
const modelAt = (version: string, rings = RINGS) =>
  `${readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8').replace('version: 1.12.0', `version: ${version}`)}${rings}`;

async function repoAt(version: string): Promise<string> {
  const model = join(tempDir(), 'calisti.yaml');
  writeFileSync(model, modelAt(version));
  const dir = join(tempDir(), 'repo');
  const r = await cli('init', dir, '-f', model);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

const icps = async (dir: string, cluster: string) => {
  const b = await kustomizeBuild(findKustomize(), join(dir, 'manifests/smm-controlplane/overlays', cluster));
  expect(b.ok, b.stderr).toBe(true);
  return parseYamlDocs(b.yaml)
    .filter((o) => o.kind === 'IstioControlPlane')
    .map((o) => `${o.metadata.name}@${o.spec.version}`)
    .sort();
};

describe('rings', () => {
  it('1.10.0 -> 1.11.0 canary first, then the rest; validate passes in between', async () => {
    const dir = await repoAt('1.10.0');
    const canary = await cli('upgrade', '--to', '1.11.0', '--ring', 'canary', '-C', dir, '-o', 'json');
    expect(canary.code, canary.stderr).toBe(0);
    const out = JSON.parse(canary.stdout);
    expect(out.followUps[0]).toBe('when ring canary is healthy: calisti-gitops upgrade --to 1.11.0 --ring rest');
    expect(Object.keys(out.clusters).sort()).toEqual(['in-cluster', 'workload-cluster-1']);

    const model = parse(readFileSync(join(dir, 'calisti.yaml'), 'utf8'));
    expect(model.calisti.version).toBe('1.10.0');
    expect(model.rings[0]).toEqual({ name: 'canary', clusters: ['workload-cluster-1'], version: '1.11.0' });
    expect(model.istio.revisions).toEqual(['cp-v113x']);
    // The canary runs the new release's control plane next to the old one; the rest is untouched.
    expect(await icps(dir, 'workload-cluster-1')).toEqual(['cp-v113x@1.13.5', 'cp-v115x@1.15.3'].sort());
    expect((await icps(dir, 'workload-cluster-2')).length).toBe(1);
    const set = parse(readFileSync(join(dir, 'apps/smm-operator/app-set.yaml'), 'utf8'));
    expect(set.spec.template.spec.sources[0].targetRevision).toBe('{{chartVersion}}');
    expect(set.spec.generators[0].list.elements.map((e: Record<string, string>) => `${e.cluster}=${e.chartVersion}`)).toEqual([
      'workload-cluster-1=1.11.0',
      'workload-cluster-2=1.10.0',
    ]);
    const mid = await cli('validate', '-C', dir, '-o', 'json', ...CRD_ARGS);
    expect(
      JSON.parse(mid.stdout).findings.filter((f: { severity: string }) => f.severity === 'error'),
      mid.stderr,
    ).toEqual([]);

    const rest = await cli('upgrade', '--to', '1.11.0', '--ring', 'rest', '-C', dir);
    expect(rest.code, rest.stderr).toBe(0);
    const done = parse(readFileSync(join(dir, 'calisti.yaml'), 'utf8'));
    expect(done.calisti.version).toBe('1.11.0');
    expect(done.rings).toEqual([
      { name: 'canary', clusters: ['workload-cluster-1'] },
      { name: 'rest', clusters: ['workload-cluster-2'] },
    ]);
    expect(Object.keys(snapshot(dir)).some((p) => p.includes('base-1.'))).toBe(false);
    expect(readFileSync(join(dir, 'apps/smm-operator/app-set.yaml'), 'utf8')).toContain('targetRevision: 1.11.0');
    expect((await git(dir).raw(['log', '--format=%s'])).trim().split('\n').slice(0, 2)).toEqual([
      'chore(calisti): upgrade 1.10.0 -> 1.11.0 (ring rest)',
      'chore(calisti): upgrade 1.10.0 -> 1.11.0 (ring canary)',
    ]);
    const end = await cli('validate', '-C', dir, '-o', 'json', ...CRD_ARGS);
    expect(JSON.parse(end.stdout).summary.errors, end.stdout).toBe(0);
    // Up to date now, ring or not.
    expect((await cli('upgrade', '--to', '1.11.0', '--ring', 'canary', '-C', dir)).stderr).toContain('up to date');
  });

  it('an unknown ring changes nothing and names the rings', async () => {
    const dir = await repoAt('1.11.0');
    const before = snapshot(dir);
    const r = await cli('upgrade', '--to', '1.12.0', '--ring', 'canry', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no ring "canry"');
    expect(r.stderr).toContain('rings are: canary, rest');
    expect(snapshot(dir)).toEqual(before);
  });

  it.each([
    [
      'a ring two minors ahead',
      RINGS.replace('clusters: [workload-cluster-1] }', 'clusters: [workload-cluster-1], version: 1.12.0 }'),
      '1.10.0',
      'rings[0].version',
    ],
    [
      'a ring behind calisti.version',
      RINGS.replace('clusters: [workload-cluster-1] }', 'clusters: [workload-cluster-1], version: 1.10.0 }'),
      '1.11.0',
      'rings[0].version',
    ],
    ['a cluster in two rings', RINGS.replace('[workload-cluster-2]', '[workload-cluster-2, workload-cluster-1]'), '1.11.0', 'rings[1].clusters[1]'],
    ['an unknown cluster', RINGS.replace('[workload-cluster-2]', '[workload-cluster-3]'), '1.11.0', 'rings[1].clusters[0]'],
  ])('the model refuses %s', (_what, rings, version, path) => {
    try {
      parseFleet(modelAt(version, rings));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      expect((e as ModelError).problems.map((p) => p.path)).toContain(path);
    }
  });

  it('the upgrade rules accept a fleet mid-rollout and refuse a ring jumping a minor', () => {
    const before = parseFleet(modelAt('1.10.0'));
    const canary = parseFleet(
      modelAt('1.10.0', RINGS.replace('clusters: [workload-cluster-1] }', 'clusters: [workload-cluster-1], version: 1.11.0 }')).replace(
        'clusters:\n',
        'istio: { revisions: [cp-v113x] }\nclusters:\n',
      ),
    );
    expect(checkTransition(before, canary)).toEqual([]);
    const back = parseFleet(modelAt('1.10.0'));
    expect(
      checkTransition(canary, back)
        .map((p) => p.message)
        .join('\n'),
    ).toContain('cluster workload-cluster-1: 1.11.0 -> 1.10.0: downgrades are not supported');
    // The canary swapping Istio in place (no old control plane kept) is refused, for its clusters.
    const swap = parseFleet(modelAt('1.10.0', RINGS.replace('clusters: [workload-cluster-1] }', 'clusters: [workload-cluster-1], version: 1.11.0 }')));
    expect(checkTransition(before, swap).map((p) => p.message)).toEqual([
      'Istio control plane cp-v113x leaves the fleet while demo app (smm-demo on workload-cluster-1) still uses it: an in-place Istio swap with no canary',
    ]);
  });
});
