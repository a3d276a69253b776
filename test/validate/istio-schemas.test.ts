/**
 * Istio's networking.istio.io and security.istio.io kinds are schema-checked with CRDs generated
 * from @kubernetes-models/istio (Istio 1.18.0's own CRDs). What the renderer emits passes; the
 * docs' examples pass; seeded mistakes fail at their field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { CrdRegistry } from '../../src/validate/crds.js';
import { checkResource } from '../../src/validate/structural.js';
import { ISTIO_GROUPS, istioCrds, istioSchemaFile } from '../../src/validate/write-istio-schemas.js';

const registry = new CrdRegistry();
for (const g of ISTIO_GROUPS) registry.addFile(istioSchemaFile(g));
type Obj = Record<string, any>;
const check = (o: Obj) => {
  const schema = registry.get(o.apiVersion, o.kind);
  expect(schema, `${o.apiVersion} ${o.kind}`).toBeDefined();
  return checkResource(o, schema!).map((p) => `${p.kind} ${p.path}`);
};
const istio = (o: Obj) => /^(networking|security)\.istio\.io\//.test(String(o.apiVersion));

const gateway = (servers: Obj[]): Obj => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'Gateway',
  metadata: { name: 'g', namespace: 'istio-system' },
  spec: { selector: { app: 'demo-gw' }, servers },
});
const vs = (http: Obj[]): Obj => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name: 'v' },
  spec: { hosts: ['*'], gateways: ['g'], http },
});

describe('Istio schemas', () => {
  it.each(ISTIO_GROUPS)('schemas/%s.yaml is up to date with @kubernetes-models/istio (regenerate with npm run schema)', (group) => {
    expect(readFileSync(istioSchemaFile(group), 'utf8')).toBe(istioCrds(group));
  });

  it('cover every Istio kind the renderer emits, in every version Istio 1.15 serves them', () => {
    for (const v of ['networking.istio.io/v1alpha3', 'networking.istio.io/v1beta1']) {
      for (const k of ['Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar']) expect(registry.get(v, k), `${v} ${k}`).toBeDefined();
    }
    for (const k of ['PeerAuthentication', 'AuthorizationPolicy']) expect(registry.get('security.istio.io/v1beta1', k), k).toBeDefined();
  });

  it('pass every Istio object the day-2 fixture renders', () => {
    const fleet = parseFleet(readFileSync(join(__dirname, '..', 'render', 'mesh', 'fixtures', 'day2.yaml'), 'utf8'));
    const objs = [...renderRepo(fleet).values()].flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Obj)).filter((o) => o && istio(o));
    expect(new Set(objs.map((o) => o.kind))).toEqual(
      new Set(['Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'PeerAuthentication']),
    );
    for (const o of objs) expect(check(o), `${o.kind} ${o.metadata?.name}`).toEqual([]);
  });

  type Row = [name: string, obj: Obj, problems: string[]];
  const rows: Row[] = [
    [
      "the docs' TLS gateway (2.7.3)",
      gateway([
        {
          hosts: ['demo2.example.com'],
          port: { name: 'tls', number: 9443, protocol: 'TLS' },
          tls: { serverCertificate: '/certs/cert.pem', privateKey: '/certs/key.pem', mode: 'SIMPLE' },
        },
      ]),
      [],
    ],
    [
      'a route with weights, retries, timeout and fault',
      vs([
        {
          route: [
            { destination: { host: 'a', subset: 'v1' }, weight: 90 },
            { destination: { host: 'a', subset: 'v2' }, weight: 10 },
          ],
          retries: { attempts: 3, perTryTimeout: '2s' },
          timeout: '5s',
          fault: { abort: { percentage: { value: 10 }, httpStatus: 503 } },
        },
      ]),
      [],
    ],
    ['a misspelt destination field', vs([{ route: [{ destination: { hots: 'a' } }] }]), ['unknown-field spec.http[0].route[0].destination.hots']],
    ['a port number as a string', gateway([{ hosts: ['*'], port: { name: 'http', number: '80', protocol: 'HTTP' } }]), ['invalid spec.servers[0].port.number']],
    [
      'an unknown TLS mode',
      gateway([{ hosts: ['*'], port: { name: 'https', number: 443, protocol: 'HTTPS' }, tls: { mode: 'MUTUAL_TLS' } }]),
      ['invalid spec.servers[0].tls.mode'],
    ],
    [
      'a fault abort with two forms',
      vs([{ route: [{ destination: { host: 'a' } }], fault: { abort: { httpStatus: 503, grpcStatus: 'UNAVAILABLE' } } }]),
      ['invalid spec.http[0].fault.abort'],
    ],
    [
      'a PeerAuthentication mode Istio does not have',
      { apiVersion: 'security.istio.io/v1beta1', kind: 'PeerAuthentication', metadata: { name: 'default' }, spec: { mtls: { mode: 'STRICTER' } } },
      ['invalid spec.mtls.mode'],
    ],
    [
      'an AuthorizationPolicy with a misspelt rule field',
      { apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy', metadata: { name: 'a' }, spec: { action: 'ALLOW', rules: [{ form: [] }] } },
      ['unknown-field spec.rules[0].form'],
    ],
    [
      'a DestinationRule outlier detection field of another version',
      {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'DestinationRule',
        metadata: { name: 'd' },
        spec: { host: 'a', trafficPolicy: { outlierDetection: { consecutiveErrors5xx: 5 } } },
      },
      ['unknown-field spec.trafficPolicy.outlierDetection.consecutiveErrors5xx'],
    ],
  ];
  it.each(rows)('%s', (_name, obj, problems) => {
    expect(check(obj)).toEqual(problems);
  });
});
