/**
 * Objects others wrote are read through lenient schemas: the fields the checks read come out as
 * written, anything of the wrong shape reads as absent, and no input makes a read throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isObj } from '../../src/objects.js';
import { CrdRegistry } from '../../src/validate/crds.js';
import { kustomizationOf } from '../../src/validate/inputs.js';
import {
  appSources,
  AppSpec,
  ControlPlaneSpec,
  DestinationRuleSpec,
  GatewaySpec,
  IstioMeshGatewaySpec,
  labelsOf,
  meta,
  metaName,
  specOf,
  VirtualServiceSpec,
} from '../../src/validate/objects.js';

/** Values where a map should be. */
const NOT_MAPS: unknown[] = [undefined, null, 'text', 7, true, [], [1, 'a', null]];

describe('validate reads objects written by others', () => {
  it('reads every field a check uses, as written, and keeps the fields it does not name', () => {
    const app = {
      spec: {
        project: 'default',
        destination: { name: 'c1', namespace: 'ns' },
        source: { path: 'p', repoURL: 'r', kustomize: { nameSuffix: '-x', namePrefix: 'a-' }, helm: { parameters: [{ name: 'k', value: 1 }] } },
      },
    };
    expect(specOf(AppSpec, app).destination).toEqual({ name: 'c1', namespace: 'ns' });
    expect(specOf(AppSpec, app).project).toBe('default');
    const [src] = appSources(app);
    expect(src).toEqual(app.spec.source);
    // Build options keep their order: they key the build cache.
    expect(JSON.stringify(src!.kustomize)).toBe(JSON.stringify(app.spec.source.kustomize));
    expect(src!.helm?.parameters?.[0]).toEqual({ name: 'k', value: 1 });
    expect(appSources({ spec: { sources: [{ path: 'a' }, null, { path: 'b' }], source: { path: 'c' } } }).map((s) => s.path)).toEqual(['a', 'b']);

    const cp = { spec: { role: 'passive', meshManager: { istio: { istioCRRef: { name: 'cp-v115x', namespace: 'istio-system' } } } } };
    expect(specOf(ControlPlaneSpec, cp).meshManager?.istio?.istioCRRef).toEqual({ name: 'cp-v115x', namespace: 'istio-system' });
    expect(specOf(ControlPlaneSpec, cp).role).toBe('passive');
    const gw = { spec: { selector: { app: 'edge' }, servers: [{ port: { number: 80, protocol: 'HTTP' }, tls: { credentialName: 'c' } }] } };
    expect(specOf(GatewaySpec, gw).selector).toEqual({ app: 'edge' });
    expect(specOf(GatewaySpec, gw).servers?.[0]?.port?.number).toBe(80);
    const vs = { spec: { gateways: ['mesh'], http: [{ route: [{ destination: { host: 'a' } }], mirror: { host: 'b' } }] } };
    expect(specOf(VirtualServiceSpec, vs).http?.[0]?.route?.[0]?.destination?.host).toBe('a');
    expect(specOf(VirtualServiceSpec, vs).http?.[0]?.mirror?.host).toBe('b');
    const dr = { spec: { subsets: [{ trafficPolicy: { portLevelSettings: [{ tls: { mode: 'ISTIO_MUTUAL' } }] } }] } };
    expect(specOf(DestinationRuleSpec, dr).subsets?.[0]?.trafficPolicy?.portLevelSettings?.[0]?.tls?.mode).toBe('ISTIO_MUTUAL');
    const o = { metadata: { name: 'n', namespace: 'x', labels: { 'istio.io/rev': 'r' } } };
    expect([meta(o).name, meta(o).namespace, labelsOf(o)['istio.io/rev'], metaName(o)]).toEqual(['n', 'x', 'r', 'n']);
  });

  it.each(NOT_MAPS.map((v) => [JSON.stringify(v) ?? 'undefined', v]))('reads %s in any field as absent, never throwing', (_, v) => {
    const specs = [AppSpec, ControlPlaneSpec, GatewaySpec, VirtualServiceSpec, DestinationRuleSpec, IstioMeshGatewaySpec];
    for (const schema of specs) {
      expect(() => specOf(schema, { spec: v })).not.toThrow();
      expect(() => specOf(schema, { spec: { source: v, sources: v, destination: v, servers: [v], http: [v, { route: v }], subsets: v } })).not.toThrow();
    }
    expect(specOf(AppSpec, { spec: { destination: v } }).destination).toBeUndefined();
    expect(specOf(IstioMeshGatewaySpec, { spec: { istioControlPlane: v } }).istioControlPlane?.name).toBeUndefined();
    expect(appSources({ spec: { sources: v } })).toEqual([]);
    expect(meta({ metadata: v }).name).toBeUndefined();
    expect(labelsOf({ metadata: { labels: v } })['istio.io/rev']).toBeUndefined();
    expect(metaName({ metadata: v })).toBeUndefined();
    expect(() => kustomizationOf(v)).not.toThrow();
    expect(() => kustomizationOf({ resources: v, patches: [v], configMapGenerator: [v, { files: v }], openapi: v, helmCharts: [v] })).not.toThrow();
  });

  it('reads the kustomization fields that name input files', () => {
    const k = kustomizationOf({
      resources: ['../base', 3],
      patches: [{ path: 'p.yaml' }, 'inline'],
      configMapGenerator: [{ files: ['a=b.txt'], env: 'e.env' }],
      openapi: { path: 'schema.json' },
      helmCharts: [{ repo: 'https://charts.example', name: 'x' }],
    });
    expect(k.resources).toEqual(['../base', 3]);
    expect(k.patches?.map((p) => p?.path)).toEqual(['p.yaml', undefined]);
    expect(k.configMapGenerator?.[0]?.files).toEqual(['a=b.txt']);
    expect(k.configMapGenerator?.[0]?.env).toBe('e.env');
    expect(k.openapi?.path).toBe('schema.json');
    expect(k.helmCharts?.[0]?.repo).toBe('https://charts.example');
  });

  it('reads CustomResourceDefinitions, v1 and v1beta1, and skips what is not one', () => {
    const crd = (spec: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n${spec}`;
    const reg = new CrdRegistry().addText(
      [
        crd('  group: a.io\n  names: {kind: A}\n  versions:\n    - name: v1\n      schema: {openAPIV3Schema: {type: object}}\n'),
        crd('  group: b.io\n  names: {kind: B}\n  validation: {openAPIV3Schema: {type: object}}\n  versions: [{name: v1beta1}]\n'),
        crd('  versions: text\n'),
        'kind: ConfigMap\n',
        '- a list\n',
      ].join('---\n'),
    );
    expect(reg.kinds()).toEqual(['a.io/v1|A', 'b.io/v1beta1|B']);
    expect(reg.get('a.io/v1', 'A')).toEqual({ type: 'object' });
  });
});

describe('appSources', () => {
  // What the schema gives: the reference the hand-read path must equal, key order included.
  const bySchema = (app: Record<string, unknown>) => {
    const spec = AppSpec.parse(isObj(app.spec) ? app.spec : {});
    return (spec.sources ?? (spec.source ? [spec.source] : [])).filter((s) => s !== undefined);
  };
  const value = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.string(),
    fc.integer(),
    fc.dictionary(fc.constantFrom('namePrefix', 'x', 'path'), fc.string()),
  );
  const source = fc.oneof(
    value,
    fc.record(
      { repoURL: value, path: value, chart: value, targetRevision: value, kustomize: value, helm: fc.oneof(fc.constant(undefined), value), other: value },
      { requiredKeys: [] },
    ),
  );
  const spec = fc.record(
    { source: fc.oneof(fc.constant(undefined), source), sources: fc.oneof(fc.constant(undefined), value, fc.array(source, { maxLength: 3 })) },
    { requiredKeys: [] },
  );
  it('reads every spec as the AppSpec schema does', () => {
    fc.assert(
      fc.property(fc.oneof(spec, value), (s) => {
        const app = { spec: s };
        expect(JSON.stringify(appSources(app))).toBe(JSON.stringify(bySchema(app)));
        expect(appSources(app)).toEqual(bySchema(app));
      }),
      { numRuns: 3000 },
    );
  });
});
