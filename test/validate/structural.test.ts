import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CrdRegistry } from '../../src/validate/crds.js';
import { check, checkResource, type SchemaProblem } from '../../src/validate/structural.js';
import { conformance, describeWithConformance, hasConformance, parseYamlDocs } from '../helpers.js';

const istio = new CrdRegistry();
if (hasConformance) istio.addFile(conformance('istio-operator', 'istio-operator-crds.gen.yaml'));
const icpSchema = istio.get('servicemesh.cisco.com/v1alpha1', 'IstioControlPlane')!;

describeWithConformance('structural schema check', () => {
  it('accepts every upstream istio-operator example', () => {
    const dir = conformance('istio-operator', 'examples');
    for (const f of readdirSync(dir)) {
      for (const o of parseYamlDocs(readFileSync(`${dir}/${f}`, 'utf8'))) {
        const schema = istio.get(o.apiVersion, o.kind);
        if (!schema) continue;
        expect(checkResource(o, schema), `${f} ${o.kind}`).toEqual([]);
      }
    }
  });

  it('reports a misspelt field the API server would prune', () => {
    const icp = {
      apiVersion: 'servicemesh.cisco.com/v1alpha1',
      kind: 'IstioControlPlane',
      metadata: { name: 'cp' },
      spec: { version: '1.15.3', mode: 'ACTIVE', meshId: 'mesh1' },
    };
    expect(checkResource(icp, icpSchema)).toEqual([{ path: 'spec.meshId', message: expect.stringContaining('unknown field'), kind: 'unknown-field' }]);
  });

  it('reports wrong types and enum values', () => {
    const icp = { spec: { mode: 'MAYBE', meshExpansion: { enabled: 'yes' } } };
    const ps = checkResource(icp, icpSchema).map((p) => p.path);
    expect(ps).toEqual(expect.arrayContaining(['spec.mode', 'spec.meshExpansion.enabled']));
  });

  it('handles int-or-string, nullable and preserve-unknown-fields', () => {
    const ps: SchemaProblem[] = [];
    const schema = {
      type: 'object',
      properties: {
        port: { 'x-kubernetes-int-or-string': true },
        flag: { type: 'boolean', nullable: true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    };
    check({ port: 'http', flag: null, free: { anything: { goes: 1 } } }, schema, '', ps);
    check({ port: 8080 }, schema, '', ps);
    expect(ps).toEqual([]);
    check({ port: true, flag: 'no' }, schema, '', ps);
    expect(ps.map((p) => p.path)).toEqual(['port', 'flag']);
  });
});
