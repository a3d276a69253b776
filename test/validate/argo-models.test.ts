/** Argo CD's kinds checked without --crds: the validators @kubernetes-models/argo-cd generates from Argo CD's CRDs. */
import { describe, expect, it } from 'vitest';
import { argoModelProblems } from '../../src/validate/argo-models.js';

const appSet = (spec: Record<string, unknown>) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 's' }, spec });
const template = {
  metadata: { name: '{{name}}' },
  spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://example.org/r.git' } },
};

describe('Argo CD kinds without CRDs', () => {
  it.each([
    ['a valid ApplicationSet', appSet({ generators: [{ list: { elements: [] } }], template }), []],
    ['goTemplate as a string', appSet({ goTemplate: 'yes', generators: [], template }), ['spec.goTemplate: must be boolean']],
    ['generators not a list', appSet({ generators: { list: {} }, template }), ['spec.generators: must be array']],
    [
      'an Application without a destination',
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { project: 'default' } },
      ['spec: must have required property destination'],
    ],
  ])('%s', (_name, obj, problems) => {
    expect(argoModelProblems(obj)).toEqual(problems);
  });

  it('leaves other kinds alone', () => {
    expect(argoModelProblems({ apiVersion: 'v1', kind: 'ConfigMap' })).toBeUndefined();
  });
});
