/**
 * Ring order on Argo CD: the RollingSync steps every generated ApplicationSet carries select each of
 * its Applications exactly once, in ring order, and validate's appset/rolling-sync-unmatched flags an
 * Application no step selects. Step selection follows Argo CD's controller
 * (applicationset/controllers/applicationset_controller.go: buildAppDependencyList and
 * labelMatchedExpression); the rows below are its cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expand } from '../../../src/argocd/engine.js';
import { parseFleet } from '../../../src/model/load.js';
import { RING_LABEL } from '../../../src/render/argocd.js';
import { renderRepo } from '../../../src/render/index.js';
import { examplesDir } from '../../../src/toolkit.js';
import { clusterInfo } from '../../../src/validate/sources.js';
import { rollingSteps, rollingSyncFindings, selectedBy } from '../../../src/validate/rules/rolling-sync.js';

const step = (key: string, operator: string, values: string[]) => ({ matchExpressions: [{ key, operator, values }] });

describe('RollingSync step selection, as the controller does it', () => {
  it.each([
    ['In, label matches', step('ring', 'In', ['canary']), { ring: 'canary' }, true],
    ['In, other value', step('ring', 'In', ['canary']), { ring: 'rest' }, false],
    ['In, label missing', step('ring', 'In', ['canary']), {}, false],
    ['NotIn, label missing: selected', step('ring', 'NotIn', ['canary']), {}, true],
    ['NotIn, other value', step('ring', 'NotIn', ['canary']), { ring: '' }, true],
    ['NotIn, listed value', step('ring', 'NotIn', ['canary']), { ring: 'canary' }, false],
    ['an unknown operator on a present label selects nothing', step('ring', 'Exists', []), { ring: 'canary' }, false],
    ['an unknown operator on a missing label does not deselect', step('ring', 'Exists', []), {}, true],
    [
      'every expression must hold',
      { matchExpressions: [...step('ring', 'In', ['canary']).matchExpressions, ...step('env', 'In', ['prod']).matchExpressions] },
      { ring: 'canary', env: 'dev' },
      false,
    ],
    ['a step without expressions selects every Application', {}, { ring: 'canary' }, true],
  ])('%s', (_what, s, labels, selected) => {
    expect(selectedBy(s, labels)).toBe(selected);
  });

  it.each([
    ['no strategy', {}, undefined],
    ['AllAtOnce', { strategy: { type: 'AllAtOnce' } }, undefined],
    ['RollingSync without steps is not acted on', { strategy: { type: 'RollingSync', rollingSync: { steps: [] } } }, undefined],
    ['RollingSync with steps', { strategy: { type: 'RollingSync', rollingSync: { steps: [step('a', 'In', ['b'])] } } }, [step('a', 'In', ['b'])]],
  ])('%s', (_what, spec, steps) => {
    expect(rollingSteps({ spec })).toEqual(steps);
  });
});

const multi = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8');
const withRings = (rings: string, extraClusters = '') => parseFleet(`${multi.replace('demoApp:\n', `${extraClusters}demoApp:\n`)}rings:\n${rings}`);
const appSetsOf = (fleet: ReturnType<typeof parseFleet>) =>
  [...renderRepo(fleet)].filter(([path]) => path.startsWith('apps/') && path.endsWith('/app-set.yaml')).map(([path, f]) => ({ path, obj: parse(f.content) }));

describe('generated ApplicationSets', () => {
  it('carry no strategy and no ring label without rings', () => {
    for (const { obj } of appSetsOf(parseFleet(multi))) {
      expect(obj.spec.strategy).toBeUndefined();
      expect(obj.spec.template.metadata.labels).toBeUndefined();
    }
  });

  it('step through the rings in order, the clusters in no ring last; every Application in exactly one step', () => {
    const fleet = withRings(
      '  - { name: canary, clusters: [wc3], maxUpdate: 1 }\n  - { name: early, clusters: [workload-cluster-2] }\n  - { name: late, clusters: [workload-cluster-1] }\n',
      '  - { name: wc3, role: passive }\n  - { name: wc4, role: passive }\n',
    );
    const ctx = { clusters: fleet.clusters.map(clusterInfo) };
    const sets = appSetsOf(fleet);
    expect(sets.length).toBeGreaterThan(1);
    for (const { path, obj } of sets) {
      const steps = rollingSteps(obj)!;
      const r = expand(obj, ctx);
      expect(r.errors, path).toEqual([]);
      // The engine, like `argocd appset generate`, leaves the Applications as the template makes them.
      for (const a of r.apps) expect((a.spec as { syncPolicy: { automated: unknown } }).syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      const order = r.apps
        .map((a) => {
          const labels = (a.metadata as { labels: Record<string, string> }).labels;
          const hits = steps.map((s, i) => (selectedBy(s, labels) ? i : -1)).filter((i) => i >= 0);
          expect(hits.length, `${path} ${labels[RING_LABEL]}`).toBe(1);
          return [hits[0]!, String((a.metadata as { name: string }).name)] as const;
        })
        .sort((x, y) => x[0] - y[0])
        .map(([, name]) => name.replace(/^.*?-(wc\d|workload-cluster-\d)$/, '$1'));
      const ringOrder = ['wc3', 'workload-cluster-2', 'workload-cluster-1', 'wc4'];
      expect(order, path).toEqual(ringOrder.filter((c) => order.includes(c)));
      expect(
        rollingSyncFindings(
          [{ obj, file: path, line: 1 }],
          r.apps.map((a) => ({ obj: a, file: path, line: 1, from: obj.metadata.name })),
        ),
      ).toEqual([]);
    }
    const demo = sets.find((s) => s.path === 'apps/demo-app/app-set.yaml')!.obj;
    // The demo app runs on workload-cluster-1 and -2 only: no step for canary's wc3, none for clusters in no ring.
    expect(demo.spec.strategy.rollingSync.steps.map((s: { matchExpressions: { values: string[] }[] }) => s.matchExpressions[0]!.values)).toEqual([
      ['early'],
      ['late'],
    ]);
    expect(sets.find((s) => s.path === 'apps/smm-controlplane/app-set.yaml')!.obj.spec.strategy.rollingSync.steps[0]).toEqual({
      matchExpressions: [{ key: RING_LABEL, operator: 'In', values: ['canary'] }],
      maxUpdate: 1,
    });
  });

  it('validate flags an Application no step selects', () => {
    const fleet = withRings('  - { name: canary, clusters: [workload-cluster-1] }\n');
    const { path, obj } = appSetsOf(fleet).find((s) => s.path === 'apps/demo-app/app-set.yaml')!;
    obj.spec.strategy.rollingSync.steps.pop();
    const r = expand(obj, { clusters: fleet.clusters.map(clusterInfo) });
    const found = rollingSyncFindings(
      [{ obj, file: path, line: 1 }],
      r.apps.map((a) => ({ obj: a, file: path, line: 1, from: obj.metadata.name })),
    );
    expect(found.map((f) => [f.rule, f.application])).toEqual([['appset/rolling-sync-unmatched', 'demo-app-workload-cluster-2']]);
    expect(found[0]!.message).toContain('never syncs it');
  });
});
