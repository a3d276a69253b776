/**
 * The generated repo converges from an empty cluster in one sync round, as Argo CD applies it: the
 * order it declares (ApplicationSet waves in the root app, resource waves and sync options inside
 * each Application) is read back from the rendered, kustomize-built repo and checked by a pure rule
 * set, which a fixture table checks first (validate's syncwave/crd-order has its own table:
 * test/validate/rules/crd-order.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { examplesDir } from '../../src/toolkit.js';
import { fleetModel, renderToDisk } from './mesh/render.js';
import type { Obj } from '../../src/objects.js';
import { orderViolations, waved as obj, type Unit } from './install-order.js';

const unit = (app: string, wave: number, objects: Obj[], more: Partial<Unit> = {}): Unit => ({
  app,
  wave,
  syncOptions: [],
  charts: [],
  objects,
  ...more,
});
const operator = (pullSecretWave: number) => unit('smm-operator', 0, [obj('v1', 'Secret', 'pull', pullSecretWave)], { charts: ['smm-operator'] });
const icp = obj('servicemesh.cisco.com/v1alpha1', 'IstioControlPlane', 'cp-v115x', 5);
const cp = obj('smm.cisco.com/v1alpha1', 'ControlPlane', 'smm', 10);

describe('orderViolations (fixture table)', () => {
  it.each<[string, Unit[], string[]]>([
    [
      'the generated order',
      [
        operator(-1),
        unit('smm-cp', 1, [icp, cp, obj('networking.istio.io/v1beta1', 'Gateway', 'gw', 20)], { syncOptions: ['SkipDryRunOnMissingResource=true'] }),
      ],
      [],
    ],
    [
      'pull secret after the chart (the old wave 3)',
      [operator(3)],
      ['smm-operator: Secret/pull (wave 3) does not sync before the smm-operator chart (wave 0)'],
    ],
    [
      'a control plane in the same wave as the chart (validate: syncwave/crd-order)',
      [operator(-1), unit('smm-cp', 0, [icp, cp], {})],
      [
        "smm-cp: IstioControlPlane cp-v115x needs the smm-operator chart's CRDs, which smm-operator installs in wave 0, not before this Application (wave 0): give smm-cp a later sync wave than 0 (argocd.argoproj.io/sync-wave of its Application)",
        "smm-cp: ControlPlane smm needs the smm-operator chart's CRDs, which smm-operator installs in wave 0, not before this Application (wave 0): give smm-cp a later sync wave than 0 (argocd.argoproj.io/sync-wave of its Application)",
      ],
    ],
    ['a kind of unknown origin', [unit('x', 3, [obj('example.com/v1', 'Widget', 'w')])], ['x: Widget/w: no known source for the CRDs of example.com']],
  ])('%s', (_name, units, expected) => {
    expect(orderViolations(units)).toEqual(expected);
  });
});

/** The Applications one cluster receives, read from the rendered repo as Argo CD would expand and build them. */
async function unitsOf(model: string): Promise<Map<string, Unit[]>> {
  const { dir, build } = renderToDisk(model);
  const read = (p: string) => parse(readFileSync(join(dir, p), 'utf8'));
  const byCluster = new Map<string, Unit[]>();
  for (const file of read('apps/kustomization.yaml').resources as string[]) {
    const set = read(join('apps', file));
    const spec = set.spec.template.spec;
    for (const element of set.spec.generators[0].list.elements as Record<string, string>[]) {
      const sources: Record<string, any>[] = spec.sources ?? [spec.source];
      const objects = (await Promise.all(sources.filter((s) => s.path).map((s) => build(String(s.path).replace('{{cluster}}', element.cluster!))))).flat();
      const units = byCluster.get(element.cluster!) ?? [];
      units.push({
        app: set.spec.template.metadata.name.replace('-{{cluster}}', ''),
        wave: Number(set.metadata.annotations['argocd.argoproj.io/sync-wave']),
        syncOptions: spec.syncPolicy.syncOptions,
        charts: sources.flatMap((s) => (s.chart ? [s.chart] : s.path === 'charts/smm-operator' ? ['smm-operator'] : [])),
        objects,
      });
      byCluster.set(element.cluster!, units);
    }
  }
  return byCluster;
}

const example = (name: string) => readFileSync(join(examplesDir, name, 'calisti.yaml'), 'utf8');
const day2 = readFileSync(join(import.meta.dirname, 'mesh', 'fixtures', 'day2.yaml'), 'utf8');

describe('the order generated repos declare', () => {
  it.each([
    ['multi-cluster', example('multi-cluster'), ['sealed-secrets']],
    ['active-active', example('active-active'), ['sealed-secrets']],
    ['single-cluster', example('single-cluster'), ['sealed-secrets']],
    ['day-2 (gateways with TLS, policies, SLOs, OpenShift)', day2, ['sealed-secrets']],
    ['sealed-secrets controllers installed by Argo CD', `${example('multi-cluster')}\nsealedSecrets: { install: true }\n`, []],
    [
      'a canary ring mid-upgrade',
      `${example('multi-cluster').replace('version: 1.12.0', 'version: 1.11.0')}\nrings: [{ name: canary, clusters: [workload-cluster-1], version: 1.12.0 }]\n`,
      ['sealed-secrets'],
    ],
  ])('%s converges in one round', async (_name, model, external) => {
    const units = await unitsOf(model);
    expect(units.size).toBeGreaterThan(0);
    for (const [cluster, list] of units) expect(orderViolations(list, external), cluster).toEqual([]);
  });

  it('the root app gates each wave on the health of every Application of the one before', () => {
    const { tree } = renderToDisk(fleetModel('  - { name: c1 }', ''));
    const cm = parse(tree.get('bootstrap/argocd-cm.yaml')!.content);
    expect(cm.data['resource.customizations.health.argoproj.io_ApplicationSet']).toContain('obj.status.resources');
    expect(cm.data['resource.customizations.health.argoproj.io_Application']).toContain('obj.status.health');
    const params = parse(tree.get('bootstrap/argocd-cmd-params-cm.yaml')!.content);
    expect(params.data).toEqual({ 'applicationsetcontroller.enable.progressive.syncs': 'true' });
    expect(parse(tree.get('bootstrap/kustomization.yaml')!.content).resources).toEqual(
      expect.arrayContaining(['argocd-cm.yaml', 'argocd-cmd-params-cm.yaml', 'root-app.yaml']),
    );
    const apps = parse(tree.get('apps/kustomization.yaml')!.content).resources as string[];
    const waves = apps.map((f) => Number(parse(tree.get(`apps/${f}`)!.content).metadata.annotations['argocd.argoproj.io/sync-wave']));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
  });
});
