/**
 * Rows transcribed from Argo CD's own ApplicationSet tests (argoproj/argo-cd). Each row names its source:
 * AC = https://github.com/argoproj/argo-cd/blob/master/applicationset/
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expand, normalizeName, type Cluster } from '../../src/argocd/engine.js';
import { cli, tempDir } from '../helpers.js';

const staging: Cluster = {
  name: 'staging-01',
  server: 'https://staging-01.example.com',
  project: '',
  labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'staging', org: 'foo' },
  annotations: { 'foo.argoproj.io': 'staging' },
};
const production: Cluster = {
  name: 'production_01/west',
  server: 'https://production-01.example.com',
  project: 'prod',
  labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'production', org: 'bar' },
  annotations: { 'foo.argoproj.io': 'production' },
};
const clusters = [staging, production];

const appset = (spec: Record<string, unknown>) => ({
  metadata: { name: 'set', namespace: 'argocd' },
  spec: { template: { metadata: { name: '{{name}}' }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc' } } }, ...spec },
});
const names = (r: ReturnType<typeof expand>) => r.apps.map((a: any) => a.metadata.name);

describe('Argo CD ApplicationSet test table', () => {
  // AC generators/list_test.go TestGenerateListParams: string elements pass through.
  it('list: string elements', () => {
    expect(names(expand(appset({ generators: [{ list: { elements: [{ name: 'a' }, { name: 'b' }] } }] }), { clusters: [] }))).toEqual(['a', 'b']);
  });
  // AC generators/list_test.go: elementsYaml is appended to elements.
  it('list: elementsYaml', () => {
    expect(names(expand(appset({ generators: [{ list: { elementsYaml: '- name: y1\n- name: y2\n' } }] }), { clusters: [] }))).toEqual(['y1', 'y2']);
  });
  // AC generators/list_test.go: non-string values fail in fasttemplate mode, pass in goTemplate mode.
  it('list: non-string value fails the whole ApplicationSet in fasttemplate mode', () => {
    const r = expand(appset({ generators: [{ list: { elements: [{ name: 'a' }, { name: 'b', replicas: 3 }] } }] }), { clusters: [] });
    expect(r.apps).toEqual([]);
    expect(r.errors[0]).toMatch(/replicas/);
  });
  // AC generators/cluster_test.go TestGenerateParams: name, nameNormalized, server, project, metadata.*, values templated.
  it('clusters: parameters, values templated with cluster parameters', () => {
    const r = expand(
      appset({
        template: {
          metadata: {
            name: '{{nameNormalized}}',
            labels: { org: '{{metadata.labels.org}}', a: '{{metadata.annotations.foo.argoproj.io}}', v: '{{values.lbl}}', p: '{{project}}' },
          },
          spec: { project: 'default', destination: { server: '{{server}}' } },
        },
        generators: [{ clusters: { selector: { matchLabels: { environment: 'production' } }, values: { lbl: 'x-{{name}}' } } }],
      }),
      { clusters },
    );
    expect(r.errors).toEqual([]);
    expect((r.apps[0] as any).metadata).toMatchObject({
      name: 'production-01-west',
      labels: { org: 'bar', a: 'production', v: 'x-production_01/west', p: 'prod' },
    });
  });
  // AC generators/cluster_test.go: in-cluster is added implicitly when there is no selector.
  it('clusters: implicit in-cluster without selector, none with selector', () => {
    const gen = (selector?: object) =>
      appset({
        template: { metadata: { name: '{{nameNormalized}}' }, spec: { project: 'default', destination: { server: '{{server}}' } } },
        generators: [{ clusters: selector ? { selector } : {} }],
      });
    // Argo keys clusters by name in a Go map (random order); the engine sorts them by name.
    expect(names(expand(gen(), { clusters }))).toEqual(['production-01-west', 'staging-01', 'in-cluster']);
    expect(names(expand(gen({ matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } }), { clusters }))).toEqual(['production-01-west', 'staging-01']);
  });
  // AC generators/matrix_test.go TestInterpolatedMatrixGenerate: second generator templated with the first's parameters.
  it('matrix: interpolated second generator', () => {
    const r = expand(
      appset({
        template: { metadata: { name: '{{name}}-{{env}}' }, spec: { project: 'default', destination: { server: '{{server}}' } } },
        generators: [
          {
            matrix: {
              generators: [
                { list: { elements: [{ env: 'staging' }, { env: 'production' }] } },
                { clusters: { selector: { matchLabels: { environment: '{{env}}' } } } },
              ],
            },
          },
        ],
      }),
      { clusters },
    );
    // production_01/west-production is not a valid Application name: the API server refuses it, the other is created.
    expect(r.errors[0]).toMatch(/RFC 1123 subdomain/);
    expect(names(r)).toEqual(['staging-01-staging']);
  });
  // AC generators/generator_spec_processor_test.go: selector post-filters parameters.
  it('generator selector post-filter', () => {
    expect(
      names(
        expand(
          appset({
            generators: [
              {
                list: {
                  elements: [
                    { name: 'a', env: 'x' },
                    { name: 'b', env: 'y' },
                  ],
                },
                selector: { matchLabels: { env: 'y' } },
              },
            ],
          }),
          { clusters: [] },
        ),
      ),
    ).toEqual(['b']);
  });
  // AC controllers/applicationset_controller_test.go: default finalizer unless preserveResourcesOnDeletion.
  it('finalizer default', () => {
    expect((expand(appset({ generators: [{ list: { elements: [{ name: 'a' }] } }] }), { clusters: [] }).apps[0] as any).metadata.finalizers).toEqual([
      'resources-finalizer.argocd.argoproj.io',
    ]);
    expect(
      (
        expand(appset({ syncPolicy: { preserveResourcesOnDeletion: true }, generators: [{ list: { elements: [{ name: 'a' }] } }] }), { clusters: [] })
          .apps[0] as any
      ).metadata.finalizers,
    ).toBeUndefined();
  });
  // AC controllers/applicationset_controller_test.go TestValidateGeneratedApplications.
  it('destination name XOR server, known cluster, DNS-1123, duplicates fail the whole set', () => {
    const bad = (dest: object, els = [{ name: 'a' }]) =>
      expand(
        appset({ template: { metadata: { name: '{{name}}' }, spec: { project: 'default', destination: dest } }, generators: [{ list: { elements: els } }] }),
        { clusters },
      ).errors;
    expect(bad({ name: 'staging-01', server: 'https://staging-01.example.com' })[0]).toMatch(/both name and server/);
    expect(bad({ name: 'nope' })[0]).toMatch(/no clusters with this name/);
    expect(bad({ server: 'https://kubernetes.default.svc' }, [{ name: 'Bad_Name' }])[0]).toMatch(/RFC 1123 subdomain/);
    expect(bad({ server: 'https://kubernetes.default.svc' }, [{ name: 'a' }, { name: 'a' }])[0]).toMatch(/duplicate name/);
  });
  // AC generators: SCM provider etc. need a live API: skipped, never guessed.
  it('offline-only generators skip the set', () => {
    const r = expand(appset({ generators: [{ pullRequest: {} }] }), { clusters: [] });
    expect(r.apps).toEqual([]);
    expect(r.skipped[0]).toMatch(/cannot be evaluated offline/);
  });
  // AC utils/utils_test.go TestRenderTemplateParamsGoTemplate (missingkey=error): a missing key fails the set.
  it('goTemplate: missingkey=error fails the set, default prints <no value>', () => {
    const set = (opts: string[]) =>
      expand(
        appset({
          goTemplate: true,
          goTemplateOptions: opts,
          template: {
            metadata: { name: '{{ .name }}', labels: { x: '{{ .nope }}' } },
            spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc' } },
          },
          generators: [{ list: { elements: [{ name: 'a' }] } }],
        }),
        { clusters: [] },
      );
    expect(set(['missingkey=error']).errors[0]).toMatch(/no entry for key "nope"/);
    expect((set([]).apps[0] as any).metadata.labels.x).toBe('<no value>');
  });
  // AC controllers/template/patch_test.go: the patch is rendered per parameter set and merged; the project cannot change.
  it('templatePatch: rendered, strategic-merged, project kept', () => {
    const r = expand(
      appset({
        templatePatch: 'metadata:\n  labels:\n    who: "{{name}}"\nspec:\n  project: evil\n  destination:\n    namespace: ns-{{name}}\n',
        generators: [{ list: { elements: [{ name: 'a' }] } }],
      }),
      { clusters: [] },
    );
    expect(r.errors).toEqual([]);
    expect((r.apps[0] as any).metadata.labels).toEqual({ who: 'a' });
    expect((r.apps[0] as any).spec).toEqual({ project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'ns-a' } });
  });
  // AC utils/utils_test.go TestSanitizeName.
  it('nameNormalized', () => {
    expect(normalizeName('production_01/west')).toBe('production-01-west');
  });
});

describe('appset generate', () => {
  it('prints Applications as JSON, problems on stderr, exit 1 on rejection', async () => {
    const dir = tempDir();
    const f = join(dir, 'set.yaml');
    writeFileSync(
      f,
      'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s, namespace: argocd}\nspec:\n  generators: [{list: {elements: [{name: a}]}}]\n  template: {metadata: {name: "{{name}}"}, spec: {project: default, destination: {server: "https://kubernetes.default.svc"}}}\n',
    );
    const ok = await cli('appset', 'generate', f, '-o', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).map((a: any) => a.metadata.name)).toEqual(['a']);
    writeFileSync(
      f,
      'kind: ApplicationSet\nmetadata: {name: s}\nspec:\n  generators: [{list: {elements: [{name: a, n: 3}]}}]\n  template: {metadata: {name: "{{name}}"}, spec: {}}\n',
    );
    const bad = await cli('appset', 'generate', f, '-o', 'json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual([]);
    expect(bad.stderr).toMatch(/error parsing value as string .*n: 3 is not a string/);
    expect((await cli('appset', 'generate', f, '-o', 'xml')).code).toBe(2);
  });
});
