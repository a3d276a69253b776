/** The CRD registry reads big CRD files without positions and gets the schemas `yaml` gives. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CrdRegistry } from '../../src/validate/crds.js';
import { conformance, describeWithConformance } from '../helpers.js';

/** What `yaml` alone reads from the text: each CRD version's schema, by `group/version|kind`. */
function viaYaml(text: string): [string, unknown][] {
  type Doc = { kind?: string; spec?: { group?: string; names?: { kind?: string }; versions?: { name?: string; schema?: { openAPIV3Schema?: unknown } }[] } };
  return parseAllDocuments(text, { uniqueKeys: false })
    .filter((d) => !d.errors.length)
    .map((d) => d.toJS() as Doc)
    .filter((d) => d?.kind === 'CustomResourceDefinition')
    .flatMap((d) => (d.spec?.versions ?? []).map((v): [string, unknown] => [`${d.spec?.group}/${v.name}|${d.spec?.names?.kind}`, v.schema?.openAPIV3Schema]))
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
const schemas = (r: CrdRegistry) =>
  r
    .kinds()
    .sort()
    .map((k) => [k, r.get(k.split('|')[0]!, k.split('|')[1]!)]);

const crd = (kind: string, extra = '') =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: x.io\n  names: {kind: ${kind}}\n  versions:\n    - name: v1\n      schema:\n        openAPIV3Schema:\n          type: object\n          description: "a & b, * c"${extra}\n`;

describe('CrdRegistry.addText', () => {
  it.each([
    ['one CRD', crd('A')],
    ['two documents', `${crd('A')}---\n${crd('B')}`],
    ['a broken document among good ones', `${crd('A')}---\nkind: [\n---\n${crd('B')}`],
    ['anchors and aliases', `${crd('A', '\n          x-a: &s {type: string}\n          x-b: *s')}`],
    ['a repeated key (the last wins)', `${crd('A', '\n          type: string')}`],
  ])('%s: the schemas `yaml` gives', (_name, text) => {
    expect(schemas(new CrdRegistry().addText(text))).toEqual(viaYaml(text));
    expect(new CrdRegistry().addText(text).kinds().length).toBeGreaterThan(0);
  });
});

describeWithConformance('CrdRegistry on upstream CRDs', () => {
  it("reads Argo CD's and istio-operator's CRDs as `yaml` does", () => {
    const files = [
      ...readdirSync(conformance('argocd'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => join(conformance('argocd'), f)),
      conformance('istio-operator', 'istio-operator-crds.gen.yaml'),
    ];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(schemas(new CrdRegistry().addText(text)), f).toEqual(viaYaml(text));
    }
  });
});
