/** The upgrade steps' pure plans, one row per behaviour; runUpgrade applies them (upgrade.test.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blueprintFor } from '../../src/model/blueprint.js';
import { parseFleet } from '../../src/model/load.js';
import { examplesDir } from '../../src/toolkit.js';
import { UPGRADE_STEPS } from '../../src/upgrade/steps/registry.js';
import type { StepPlan } from '../../src/upgrade/steps/types.js';

const multi = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8');
const plan = (from: string, to: string, model = multi): Record<string, StepPlan> => {
  const fleet = parseFleet(model.replace('version: 1.12.0', `version: ${from}`));
  const input = { fleet, from, to, fromBp: blueprintFor(from), toBp: blueprintFor(to) };
  return Object.fromEntries(UPGRADE_STEPS.map((s) => [s.id, s.plan(input)]));
};

describe('upgrade steps', () => {
  it.each([
    [
      '1.11.0',
      '1.12.0',
      'same Istio minor: only the version changes; sidecars restart',
      [{ op: 'set', path: ['calisti', 'version'], value: '1.12.0' }],
      /restart workloads for the new proxy/,
    ],
    [
      '1.10.0',
      '1.11.0',
      'new Istio minor: the old control plane stays and the demo namespace is pinned to it',
      [
        { op: 'set', path: ['calisti', 'version'], value: '1.11.0' },
        { op: 'append', path: ['istio', 'revisions'], value: 'cp-v113x' },
        { op: 'set', path: ['demoApp', 'revision'], value: 'cp-v113x' },
      ],
      /istio prune/,
    ],
  ])('%s -> %s: %s', (from, to, _what, changes, followUp) => {
    const plans = plan(from, to);
    expect(Object.values(plans).flatMap((p) => p.changes)).toEqual(changes);
    expect(
      Object.values(plans)
        .flatMap((p) => p.followUps)
        .join('\n'),
    ).toMatch(followUp);
    expect(plans['vendored-chart']!.pullChart).toBeUndefined();
  });

  it("a vendored chart is pulled at the new release's version (when helm exists) or refused before anything is planned", () => {
    const vendored = multi.replace('  version: 1.12.0\n', '  version: 1.12.0\n  chart: vendored\n');
    let plans: Record<string, StepPlan> | undefined;
    try {
      plans = plan('1.11.0', '1.12.0', vendored);
    } catch (e) {
      expect((e as Error).message).toContain('helm is not installed');
      return;
    }
    expect(plans['vendored-chart']!.pullChart).toEqual({
      repository: blueprintFor('1.12.0').chart.repository,
      name: blueprintFor('1.12.0').chart.name,
      version: blueprintFor('1.12.0').chart.version,
    });
  });

  it('a ring upgrade names the ring in its istio migrate follow-ups: the new control plane runs on its clusters only', () => {
    const rings = `${multi.replace('version: 1.12.0', 'version: 1.10.0')}rings: [{ name: canary, clusters: [workload-cluster-1] }]\n`;
    const fleet = parseFleet(rings);
    const p = istioCanaryPlan(fleet);
    expect(p.followUps).toEqual([
      'when cp-v115x is healthy on the clusters of ring canary, move namespaces there one at a time: calisti-gitops istio migrate --namespace <ns> --to cp-v115x --ring canary (namespaces: smm-demo)',
      'after each move, restart its workloads: kubectl --context workload-cluster-1 rollout restart deployment -n smm-demo',
      'roll a namespace back with: calisti-gitops istio migrate --namespace <ns> --rollback --ring canary',
      'once nothing uses cp-v113x: calisti-gitops istio prune',
    ]);
  });
});

const istioCanaryPlan = (fleet: ReturnType<typeof parseFleet>) =>
  UPGRADE_STEPS.find((s) => s.id === 'istio-canary')!.plan({
    fleet,
    from: '1.10.0',
    to: '1.11.0',
    fromBp: blueprintFor('1.10.0'),
    toBp: blueprintFor('1.11.0'),
    ring: { index: 0, name: 'canary' },
  });
