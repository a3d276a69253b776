/**
 * Argo CD settings in the model (sync options, ignoreDifferences, preserveResourcesOnDeletion, the
 * cluster's name in Argo CD) reach the ApplicationSets and the Applications Argo CD makes of them;
 * bad values are located errors; a hand edit of those fields survives a regeneration.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ModelError } from '../../src/errors.js';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { expand } from '../../src/argocd/engine.js';
import { cli, tempDir } from '../helpers.js';
import { fleetModel } from './mesh/render.js';

const render = (clusters: string, rest: string) => renderRepo(parseFleet(fleetModel(clusters, rest)));
/** Argo CD knows the clusters by these names (c1 under its EKS ARN in the second test). */
const ARGO_CLUSTERS = ['c1', 'c2', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu'].map((name, i) => ({
  name,
  server: `https://${i}.example`,
  labels: {},
  annotations: {},
}));
/** The Applications Argo CD generates from one ApplicationSet of the tree. */
const applications = (tree: Map<string, { content: string }>, app: string) =>
  expand(parse(tree.get(`apps/${app}/app-set.yaml`)!.content), { clusters: ARGO_CLUSTERS }).apps as Record<string, any>[];

describe('Argo CD settings', () => {
  it("defaults: the docs' sync options plus what each application needs", () => {
    const tree = render('  - { name: c1 }', '');
    const [op] = applications(tree, 'smm-operator');
    const [cp] = applications(tree, 'smm-controlplane');
    expect(op!.spec.syncPolicy.syncOptions).toEqual([
      'Validate=false',
      'PruneLast=true',
      'CreateNamespace=true',
      'Replace=true',
      'RespectIgnoreDifferences=true',
    ]);
    expect(cp!.spec.syncPolicy.syncOptions).toEqual([
      'Validate=false',
      'PruneLast=true',
      'CreateNamespace=true',
      'Replace=true',
      'SkipDryRunOnMissingResource=true',
    ]);
    expect(op!.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(op!.spec.destination.name).toBe('c1');
  });

  it('fleet-wide and per-application settings, preserveResourcesOnDeletion and the Argo CD cluster name', () => {
    const tree = render(
      '  - { name: c1, argocd: { name: "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu" } }\n  - { name: c2 }',
      `argocd:
  syncOptions: [Validate=false, CreateNamespace=true, ServerSideApply=true]
  ignoreDifferences: [{ group: apps, kind: Deployment, jqPathExpressions: [.spec.replicas] }]
  preserveResourcesOnDeletion: true
  applications:
    smm-controlplane: { syncOptions: [ServerSideApply=true, SkipDryRunOnMissingResource=true] }
    smm-operator: { ignoreDifferences: [{ kind: Secret, name: x, jsonPointers: [/data] }] }
`,
    );
    const set = parse(tree.get('apps/smm-operator/app-set.yaml')!.content);
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    const [op1, op2] = applications(tree, 'smm-operator');
    expect(op1!.metadata.finalizers).toBeUndefined();
    expect(op1!.metadata.name).toBe('smm-operator-c1');
    expect(op1!.spec.destination.name).toBe('arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu');
    expect(op2!.spec.destination.name).toBe('c2');
    expect(op1!.spec.syncPolicy.syncOptions).toEqual(['Validate=false', 'CreateNamespace=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true']);
    expect(op1!.spec.ignoreDifferences).toEqual([
      { kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', jsonPointers: ['/webhooks'] },
      { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas'] },
      { kind: 'Secret', name: 'x', jsonPointers: ['/data'] },
    ]);
    const [cp1] = applications(tree, 'smm-controlplane');
    expect(cp1!.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true', 'SkipDryRunOnMissingResource=true']);
    expect(cp1!.spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas'] }]);
    // The ControlPlane keeps the model's name: Argo CD's name is only where Argo CD reads it.
    expect(tree.get('manifests/smm-controlplane/overlays/c1/control-plane.yaml')!.content).toContain('clusterName: c1');
  });

  it.each([
    ['argocd:\n  syncOptions: [Replace=yes]\n', 'argocd.syncOptions[0]', 'Replace takes true or false'],
    ['argocd:\n  syncOptions: [ServerSideApply]\n', 'argocd.syncOptions[0]', 'not an Argo CD sync option'],
    ['argocd:\n  applications: { smm-operators: {} }\n', 'argocd.applications', ''],
    ['argocd:\n  ignoreDifferences: [{ kind: Secret }]\n', 'argocd.ignoreDifferences[0]', 'names no field'],
  ])('%s is refused at its place', (rest, path, message) => {
    try {
      parseFleet(fleetModel('  - { name: c1 }', rest));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      const p = (e as ModelError).problems.find((x) => x.path?.startsWith(path));
      expect(p, JSON.stringify((e as ModelError).problems)).toBeDefined();
      expect(p!.message).toContain(message);
    }
  });

  it('a cluster name with braces cannot reach a template', () => {
    expect(() => parseFleet(fleetModel('  - { name: c1, argocd: { name: "{{x}}" } }', ''))).toThrow(ModelError);
  });

  it('a sync option added by hand survives a model change that adds another', async () => {
    const dir = join(tempDir(), 'repo');
    const model = join(tempDir(), 'calisti.yaml');
    writeFileSync(model, fleetModel('  - { name: c1 }', ''));
    expect((await cli('init', dir, '-f', model)).code).toBe(0);
    const file = join(dir, 'apps/smm-controlplane/app-set.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('          - Replace=true\n', '          - Replace=true\n          - ApplyOutOfSyncOnly=true # only what changed\n'),
    );
    writeFileSync(
      join(dir, 'calisti.yaml'),
      `${readFileSync(join(dir, 'calisti.yaml'), 'utf8')}argocd:\n  syncOptions: [Validate=false, PruneLast=true, CreateNamespace=true, Replace=true, FailOnSharedResource=true]\n`,
    );
    const gen = await cli('generate', '-C', dir);
    expect(gen.code, gen.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('ApplyOutOfSyncOnly=true # only what changed');
    expect(parse(text).spec.template.spec.syncPolicy.syncOptions).toEqual([
      'Validate=false',
      'PruneLast=true',
      'CreateNamespace=true',
      'Replace=true',
      'ApplyOutOfSyncOnly=true',
      'SkipDryRunOnMissingResource=true',
      'FailOnSharedResource=true',
    ]);
  });
});
