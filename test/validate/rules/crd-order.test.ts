/**
 * syncwave/crd-order's decision, one row per behaviour: the Applications one cluster receives (wave in
 * the root app, sync options, charts, resources with their own waves) and the problems expected.
 */
import { describe, expect, it } from 'vitest';
import { crdOrderProblems, type OrderUnit } from '../../../src/validate/rules/crd-order.js';
import type { Obj } from '../../../src/objects.js';
import { waved as obj } from '../../render/install-order.js';

const crd = (group: string, kind: string, wave?: number): Obj => ({
  ...obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', `${kind.toLowerCase()}s.${group}`, wave),
  spec: { group, names: { kind } },
});
const unit = (app: string, wave: number, objects: Obj[], more: Partial<OrderUnit> = {}): OrderUnit => ({
  app,
  wave,
  waveFile: `apps/${app}/app-set.yaml`,
  syncOptions: [],
  charts: [],
  resources: objects.map((o) => ({ obj: o })),
  ...more,
});
const SKIP = ['SkipDryRunOnMissingResource=true'];
const pull = obj('bitnami.com/v1alpha1', 'SealedSecret', 'pull', -1);
const operator = (wave = 0) => unit('smm-operator', wave, [pull], { charts: ['smm-operator'] });
const icp = obj('servicemesh.cisco.com/v1alpha1', 'IstioControlPlane', 'cp-v115x', 5);
const cp = obj('smm.cisco.com/v1alpha1', 'ControlPlane', 'smm', 10);
const gateway = obj('networking.istio.io/v1beta1', 'Gateway', 'gw', 20);
const cert = (wave: number) => obj('cert-manager.io/v1', 'Certificate', 'c', wave, 'SkipDryRunOnMissingResource=true');
const controlPlane = (wave: number, more: Obj[] = [], options = SKIP) => unit('smm-cp', wave, [icp, cp, ...more], { syncOptions: options });
const policy = obj('security.istio.io/v1beta1', 'PeerAuthentication', 'default');
const widget = (wave?: number) => obj('example.com/v1', 'Widget', 'w', wave);
const sealedSecretsExternal = new Set(['sealed-secrets']);

describe('crdOrderProblems (fixture table)', () => {
  it.each<[string, OrderUnit[], string[], Set<string>?]>([
    ['the generated order', [operator(), controlPlane(1, [gateway, cert(15)]), unit('mesh-policies', 3, [policy], { syncOptions: SKIP })], []],
    [
      'the control plane in a wave before the operator (a hand-edited ApplicationSet)',
      [operator(), controlPlane(-2)],
      [
        "smm-cp: IstioControlPlane cp-v115x needs the smm-operator chart's CRDs, which smm-operator installs in wave 0, not before this Application (wave -2): give smm-cp a later sync wave than 0 (argocd.argoproj.io/sync-wave of apps/smm-cp/app-set.yaml)",
        "smm-cp: ControlPlane smm needs the smm-operator chart's CRDs, which smm-operator installs in wave 0, not before this Application (wave -2): give smm-cp a later sync wave than 0 (argocd.argoproj.io/sync-wave of apps/smm-cp/app-set.yaml)",
      ],
    ],
    ['the control plane in the same wave as the operator', [operator(), controlPlane(0)], ['smm-cp: IstioControlPlane', 'smm-cp: ControlPlane']],
    [
      'Istio kinds without SkipDryRunOnMissingResource, after the control plane in the same Application',
      [operator(), controlPlane(1, [gateway], [])],
      [
        "smm-cp: Gateway gw gets its CRDs from IstioControlPlane cp-v115x during the same sync, so Argo CD's dry run fails: add SkipDryRunOnMissingResource=true to smm-cp's syncOptions or to its argocd.argoproj.io/sync-options annotation",
      ],
    ],
    [
      'a Certificate before the ControlPlane that installs cert-manager',
      [operator(), controlPlane(1, [cert(5)])],
      ['smm-cp: Certificate c (wave 5) needs ControlPlane smm (wave 10) to install its CRDs first: give it a sync wave above 10'],
    ],
    ['Istio kinds in a later Application than the control plane', [operator(), controlPlane(1), unit('mesh-policies', 3, [policy])], []],
    [
      'Istio kinds with no control plane before them',
      [operator(), unit('mesh-policies', 3, [policy])],
      [
        'mesh-policies: PeerAuthentication default needs its CRDs from a IstioControlPlane, and none syncs before it (in an earlier wave, or earlier in this Application)',
      ],
    ],
    [
      'Istio kinds in an Application of the same wave as the control plane',
      [operator(), controlPlane(1), unit('mesh-policies', 1, [policy])],
      ['mesh-policies: PeerAuthentication default needs its CRDs from a IstioControlPlane'],
    ],
    [
      'a SealedSecret with no controller installed',
      [operator()],
      ["smm-operator: SealedSecret pull needs the sealed-secrets chart's CRDs, which no Application installs on this cluster"],
      new Set(),
    ],
    ['a SealedSecret whose controller is installed outside Argo CD', [operator()], [], sealedSecretsExternal],
    ['a SealedSecret after its controller', [unit('sealed-secrets', -1, [], { charts: ['sealed-secrets'] }), operator()], [], new Set()],
    [
      "a chart's own kind before the chart, in its Application",
      [unit('smm-operator', 0, [obj('smm.cisco.com/v1alpha1', 'ControlPlane', 'early', -1)], { charts: ['smm-operator'] })],
      ['smm-operator: ControlPlane early (wave -1) syncs before the smm-operator chart that installs its CRD (wave 0): give it a sync wave of at least 0'],
    ],
    ["a chart's own kind with the chart", [unit('smm-operator', 0, [obj('smm.cisco.com/v1alpha1', 'ControlPlane', 'smm')], { charts: ['smm-operator'] })], []],
    ['a CRD and its resource in one Application and wave (Argo CD applies CRDs first)', [unit('x', 0, [widget(), crd('example.com', 'Widget')])], []],
    [
      'a CRD in a later wave than its resource, in one Application',
      [unit('x', 0, [widget(1), crd('example.com', 'Widget', 2)])],
      ['x: Widget w (wave 1) syncs before its CustomResourceDefinition (wave 2) in the same Application: give it a sync wave of at least 2'],
    ],
    ['a CRD in an earlier Application', [unit('crds', 0, [crd('example.com', 'Widget')]), unit('x', 1, [widget()])], []],
    [
      'a CRD in an Application of the same wave',
      [unit('crds', 1, [crd('example.com', 'Widget')]), unit('x', 1, [widget()])],
      [
        'x: Widget w needs the CustomResourceDefinition widgets.example.com that crds (wave 1) syncs, not before this Application (wave 1): give x a later sync wave than 1 (argocd.argoproj.io/sync-wave of apps/x/app-set.yaml)',
      ],
    ],
    [
      'a kind of unknown origin is not judged; built-in kinds need nothing',
      [unit('x', -5, [widget(), obj('v1', 'ConfigMap', 'c'), obj('apps/v1', 'Deployment', 'd')])],
      [],
    ],
  ])('%s', (_name, units, expected, external = sealedSecretsExternal) => {
    const got = crdOrderProblems(units, external).map((p) => `${p.app}: ${p.message}`);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]!.startsWith(e), `${got[i]}\n  should start with\n${e}`).toBe(true));
  });
});
