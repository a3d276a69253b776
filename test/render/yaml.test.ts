/** Every YAML file is written as `yaml` writes it, whether or not the direct writer handled it. */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emitPlain, toYaml } from '../../src/render/yaml.js';

const OPTIONS = { lineWidth: 0, indent: 2, indentSeq: true, aliasDuplicateObjects: false, defaultStringType: 'PLAIN' } as const;

const STRINGS = [
  ...['demo', 'ghcr.io/cisco-open/smm:1.12.0', 'http://x:80/y', 'a:b', 'a: b', 'a:', ':a', 'a #b', 'a#b', '#a', 'a b', ' a', 'a '],
  ...['-', '-a', '- a', '?', '?a', '? a', '!a', '&a', '*a', '|', '>', "'a", '"a', '%a', '@a', '`a', ',a', '[a', ']a', '{a', '}a', 'a,b', 'a[b]'],
  ...['', '~', 'null', 'Null', 'true', 'False', 'yes', '1', '-1', '+1', '0o17', '0x1F', '1.5', '.5', '1e3', '.inf', '.nan', '1.12.0', 'v1'],
  ...['---', '--- a', '...', '...a', 'a---', 'a\nb', 'a\n', '\n', 'a\tb', 'a\u0007b', 'a\u0085b', 'é ü', '日本', 'a'.repeat(1001)],
  ...['{"auths":{}}', '"a"', "'a'", `"it's"`, 'say "hi"', "it's", '"', "'", 'a\\b', '"a\\b"'],
  ...['$(VAR)', '{{.name}}', '{{ index .metadata.labels "calisti.io/ring" }}', '*', 'a=b', 'a,b=c', '<<', '=', '0', '00', '-0'],
];

const yamlOf = (v: Record<string, unknown>) => stringify(v, OPTIONS);

describe('toYaml', () => {
  it.each(STRINGS)('writes %j as a value and as a key as `yaml` does', (s) => {
    for (const doc of [{ a: s }, { [s]: 'x' }, { a: [s, { [s]: s, b: s }] }, { a: { b: [s] } }]) expect(toYaml(doc)).toBe(yamlOf(doc));
  });

  it.each([
    { a: null, b: true, c: false, d: 0, e: -7, f: 2 ** 53, g: 1.5, h: -0, i: Number.NaN, j: 1e21 },
    { a: [], b: {}, c: [[]], d: [{}], e: [[1, 2], 3], f: { g: undefined }, h: [null], i: { j: { k: { l: [] } } } },
    { apiVersion: 'v1', kind: 'ConfigMap', data: { x: 'a\nb\n' }, metadata: { name: 'n', labels: { 'app.kubernetes.io/name': 'n' } } },
    { list: [{ a: 1, b: [{ c: 'd' }] }, { e: { f: 'g' } }, 'h', [], {}] },
    {},
    { a: 10n },
    { a: new Date(0) },
  ] as Record<string, unknown>[])('writes odd document %# as `yaml` does', (doc) => {
    expect(toYaml(doc)).toBe(yamlOf(k8sOrder(doc)));
  });

  it('writes any object of maps, lists and scalars as `yaml` does', () => {
    const key = fc.oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 6 }));
    const leaf = fc.oneof(
      fc.constantFrom(...STRINGS),
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('map')),
      list: fc.array(tie('tree'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), (doc) => {
        expect(toYaml(doc)).toBe(yamlOf(k8sOrder(doc)));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes the common generated shapes itself', () => {
    expect(emitPlain({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'smm-demo', labels: { 'istio.io/rev': 'cp-v115x.istio-system' } } })).toBe(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: smm-demo\n  labels:\n    istio.io/rev: cp-v115x.istio-system\n',
    );
    expect(emitPlain({ resources: ['../../base', 'demo-app.yaml'], patches: [{ path: 'p.yaml', target: { kind: 'Deployment' } }] })).toBe(
      'resources:\n  - ../../base\n  - demo-app.yaml\npatches:\n  - path: p.yaml\n    target:\n      kind: Deployment\n',
    );
    expect(emitPlain({ metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '2' } }, b: ['*', ''] })).toBe(
      'metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: "2"\nb:\n  - "*"\n  - ""\n',
    );
    expect(emitPlain({ a: 'x\ny' })).toBeUndefined();
    expect(emitPlain({ a: '{"auths":{}}' })).toBe(`a: '{"auths":{}}'\n`);
    expect(emitPlain({ a: `"it's"` })).toBeUndefined();
  });

  it('orders the keys alike whichever writer runs, integer-like keys too (JS lists those first)', () => {
    for (const doc of [
      { kind: 'X', '1': 'a', apiVersion: 'v1', b: 'c' },
      { kind: 'X', '4294967296': 'a', '7': 'b', metadata: { name: 'm' } },
    ]) {
      const direct = toYaml(doc);
      const viaYaml = toYaml({ ...doc, z: 'two\nlines' });
      expect(emitPlain({ ...doc, z: 'two\nlines' })).toBeUndefined();
      expect(viaYaml.startsWith(direct)).toBe(true);
    }
    expect(toYaml({ kind: 'X', '1': 'a', apiVersion: 'v1' })).toBe('"1": a\napiVersion: v1\nkind: X\n');
  });

  it('puts the comment first, a # on each line', () => {
    expect(toYaml({ a: 1 }, 'one\n\ntwo')).toBe('# one\n#\n# two\na: 1\n');
  });
});

/** apiVersion, kind and metadata first, as toYaml orders a document. */
function k8sOrder(o: Record<string, unknown>): Record<string, unknown> {
  return { ...Object.fromEntries(['apiVersion', 'kind', 'metadata'].filter((k) => k in o).map((k) => [k, o[k]])), ...o };
}
