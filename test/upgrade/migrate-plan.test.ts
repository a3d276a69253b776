/**
 * `istio migrate` planned purely, one row per behaviour: with --cluster/--ring only those clusters
 * move (the others keep their control plane through clusterRevisions), a cluster moves only to a
 * control plane it runs, and once every cluster agrees the model is back to one revision.
 * The same flow against real git and kustomize is in rings-istio.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../../src/errors.js';
import { parseFleet } from '../../src/model/load.js';
import { examplesDir } from '../../src/toolkit.js';
import { planMigrate, type MigrateRequest } from '../../src/upgrade/migrate-plan.js';

const RINGS = 'rings:\n  - { name: canary, clusters: [workload-cluster-1]CANARY }\n  - { name: rest, clusters: [workload-cluster-2] }\n';
/** The multi-cluster example at `version`, rings as given, the old control plane kept and the demo app's revision fields as given. */
const fleet = (version: string, opts: { canary?: string; demo?: string } = {}) =>
  parseFleet(
    `${readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8')
      .replace('version: 1.12.0', `version: ${version}`)
      .replace('clusters:\n', 'istio: { revisions: [cp-v113x] }\nclusters:\n')
      .replace('demoApp:\n', `demoApp:\n${opts.demo ?? '  revision: cp-v113x\n'}`)}${RINGS.replace('CANARY', opts.canary ?? '')}`,
  );
/** Mid-rollout: the canary on 1.11.0 (cp-v115x), the rest on 1.10.0 (cp-v113x). */
const mid = (demo?: string) => fleet('1.10.0', { canary: ', version: 1.11.0', demo });
const req = (r: Partial<MigrateRequest>): MigrateRequest => ({ namespaces: ['smm-demo'], rollback: false, ...r });

describe('istio migrate plan', () => {
  it.each([
    [
      'the canary ring moves; the rest keeps cp-v113x',
      mid(),
      req({ to: 'cp-v115x', ring: 'canary' }),
      [{ op: 'set', path: ['demoApp', 'clusterRevisions'], value: { 'workload-cluster-1': 'cp-v115x' } }],
      [{ namespace: 'smm-demo', what: 'demo app', from: 'cp-v113x', to: 'cp-v115x', clusters: ['workload-cluster-1'] }],
    ],
    [
      '--cluster names the same cluster',
      mid(),
      req({ to: 'cp-v115x', clusters: ['workload-cluster-1'] }),
      [{ op: 'set', path: ['demoApp', 'clusterRevisions'], value: { 'workload-cluster-1': 'cp-v115x' } }],
      [{ namespace: 'smm-demo', what: 'demo app', from: 'cp-v113x', to: 'cp-v115x', clusters: ['workload-cluster-1'] }],
    ],
    [
      "the last ring moves: every cluster on the release's own control plane, so the pin goes",
      fleet('1.11.0', { demo: '  revision: cp-v113x\n  clusterRevisions: { workload-cluster-1: cp-v115x }\n' }),
      req({ to: 'cp-v115x', ring: 'rest' }),
      [
        { op: 'delete', path: ['demoApp', 'revision'] },
        { op: 'delete', path: ['demoApp', 'clusterRevisions'] },
      ],
      [{ namespace: 'smm-demo', what: 'demo app', from: 'cp-v113x', to: 'cp-v115x', clusters: ['workload-cluster-2'] }],
    ],
    [
      'a rollback on one cluster: every cluster on cp-v113x again, one revision',
      mid('  revision: cp-v113x\n  clusterRevisions: { workload-cluster-1: cp-v115x }\n'),
      req({ rollback: true, clusters: ['workload-cluster-1'] }),
      [
        { op: 'set', path: ['demoApp', 'revision'], value: 'cp-v113x' },
        { op: 'delete', path: ['demoApp', 'clusterRevisions'] },
      ],
      [{ namespace: 'smm-demo', what: 'demo app', from: 'cp-v115x', to: 'cp-v113x', clusters: ['workload-cluster-1'] }],
    ],
    [
      "mid-rollout, the fleet's own control plane is not the canary's: the workload stays pinned",
      mid('  revision: cp-v113x\n  clusterRevisions: { workload-cluster-1: cp-v115x }\n'),
      req({ to: 'cp-v113x' }),
      [
        { op: 'set', path: ['demoApp', 'revision'], value: 'cp-v113x' },
        { op: 'delete', path: ['demoApp', 'clusterRevisions'] },
      ],
      [{ namespace: 'smm-demo', what: 'demo app', from: 'cp-v115x', to: 'cp-v113x', clusters: ['workload-cluster-1'] }],
    ],
    ['already there: nothing to do', mid(), req({ to: 'cp-v113x', ring: 'rest' }), [], []],
  ])('%s', (_what, f, r, changes, moved) => {
    const plan = planMigrate(f, r);
    expect(plan.changes).toEqual(changes);
    expect(plan.moved).toEqual(moved);
    // Restarts only where pods move.
    for (const m of moved) for (const c of m.clusters) expect(plan.followUps).toContain(`kubectl --context ${c} rollout restart deployment -n smm-demo`);
    expect(plan.followUps.length).toBe(moved.flatMap((m) => m.clusters).length);
  });

  it.each([
    [
      'a control plane the ring does not run yet',
      mid(),
      req({ to: 'cp-v115x', ring: 'rest' }),
      UserError,
      'control plane cp-v115x is not running on workload-cluster-2 (Calisti 1.10.0 runs cp-v113x)',
      'upgrade ring rest first: calisti-gitops upgrade --to 1.11.0 --ring rest',
    ],
    ['an unknown ring', mid(), req({ to: 'cp-v115x', ring: 'canry' }), UserError, '--ring: no ring "canry" in calisti.yaml', 'rings are: canary, rest'],
    [
      'an unknown cluster',
      mid(),
      req({ to: 'cp-v115x', clusters: ['workload-cluster-1', 'wc9'] }),
      UserError,
      '--cluster: no cluster "wc9" in calisti.yaml',
      'clusters are: workload-cluster-1, workload-cluster-2',
    ],
    [
      'both flags',
      mid(),
      req({ to: 'cp-v115x', ring: 'canary', clusters: ['workload-cluster-1'] }),
      UsageError,
      '--cluster and --ring: give one of them',
      undefined,
    ],
    ['an unknown namespace', mid(), req({ to: 'cp-v115x', ring: 'canary', namespaces: ['shop'] }), UserError, 'unknown namespace(s): shop', expect.any(String)],
  ])('refuses %s, naming it', (_what, f, r, kind, message, hint) => {
    try {
      planMigrate(f, r);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(kind);
      expect((e as Error).message).toBe(message);
      expect((e as UserError).hint).toEqual(hint);
    }
  });

  it('refuses a namespace that runs on none of the clusters named', () => {
    const f = parseFleet(
      `${readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8')}namespaces: [{ name: shop, clusters: [workload-cluster-2] }]\n${RINGS.replace('CANARY', '')}`,
    );
    expect(() => planMigrate(f, req({ namespaces: ['shop'], to: 'cp-v115x', ring: 'canary' }))).toThrow(
      'namespace shop (on workload-cluster-2) runs on no cluster on ring canary',
    );
  });

  it('the model refuses a per-cluster revision on a cluster the workload is not on, or not running there', () => {
    const bad = (demo: string) => () => mid(demo);
    expect(bad('  revision: cp-v113x\n  clusterRevisions: { workload-cluster-2: cp-v115x }\n')).toThrow(
      'control plane cp-v115x is not running on workload-cluster-2; running there: cp-v113x',
    );
    expect(bad('  revision: cp-v113x\n  clusterRevisions: { workload-cluster-3: cp-v113x }\n')).toThrow(
      'demo app (smm-demo) does not run on cluster "workload-cluster-3"; it runs on workload-cluster-1, workload-cluster-2',
    );
  });
});
