/**
 * Traffic and security policies against the docs' examples (2.7.2.2, 2.7.2.6, 2.11.3): rendered as
 * the mesh-policies application on the clusters they name, built with the real kustomize.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFleet } from '../../../src/model/load.js';
import { fleetModel, renderToDisk } from './render.js';

const fleet = (policies: string) => fleetModel('  - name: c1\n  - name: c2\n    role: passive', `policies:\n${policies}`);
const render = renderToDisk;

const docsPolicies = `  mtls: STRICT
  outboundTrafficPolicy: REGISTRY_ONLY
  peerAuthentications:
    - {name: catalog, namespace: smm-demo, selector: {app: catalog}, mtls: DISABLE}
  serviceEntries:
    - name: httpbin.org
      namespace: smm-demo
      hosts: [httpbin.org, www.httpbin.org]
      ports: [{number: 80, name: http, protocol: HTTP}]
  sidecars:
    - {name: smm-demo, namespace: smm-demo, egressHosts: [istio-system/*, ./*], clusters: [c2]}
  destinationRules:
    - name: catalog
      namespace: smm-demo
      host: catalog.smm-demo.svc.cluster.local
      trafficPolicy:
        connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}}
        outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100}
      subsets: [{name: v1, labels: {version: v1}}]
  authorizationPolicies:
    - name: bookings
      namespace: smm-demo
      selector: {app: bookings}
      rules: [{from: [{principals: [cluster.local/ns/smm-demo/sa/frontpage]}], to: [{methods: [GET]}]}]
`;

describe('policies', () => {
  it("the docs' examples, as objects the docs write, on the clusters they name", async () => {
    const { tree, build } = await render(fleet(docsPolicies));
    const c1 = await build('manifests/mesh-policies/overlays/c1');
    const one = (kind: string, name: string) => c1.find((o) => o.kind === kind && o.metadata.name === name)!;
    // 2.11.3: mesh-wide STRICT, and the docs' per-service DISABLE.
    expect(one('PeerAuthentication', 'default')).toMatchObject({
      apiVersion: 'security.istio.io/v1beta1',
      metadata: { namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    expect(one('PeerAuthentication', 'catalog').spec).toEqual({ selector: { matchLabels: { app: 'catalog' } }, mtls: { mode: 'DISABLE' } });
    // 2.7.2.2: the docs' ServiceEntry for httpbin.org, field for field.
    expect(one('ServiceEntry', 'httpbin.org').spec).toEqual({
      hosts: ['httpbin.org', 'www.httpbin.org'],
      location: 'MESH_EXTERNAL',
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'DNS',
    });
    expect(one('DestinationRule', 'catalog').spec.trafficPolicy.connectionPool).toEqual({
      tcp: { maxConnections: 1 },
      http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
    });
    expect(one('AuthorizationPolicy', 'bookings').spec).toEqual({
      selector: { matchLabels: { app: 'bookings' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/smm-demo/sa/frontpage'] } }], to: [{ operation: { methods: ['GET'] } }] }],
    });
    // The Sidecar names c2 only; 2.7.2.6's namespace recommendation.
    expect(c1.some((o) => o.kind === 'Sidecar')).toBe(false);
    const c2 = await build('manifests/mesh-policies/overlays/c2');
    expect(c2.find((o) => o.kind === 'Sidecar')!.spec).toEqual({ egress: [{ hosts: ['istio-system/*', './*'] }] });
    // REGISTRY_ONLY is the control plane's mesh config (smm istio outbound-traffic-policy restricted).
    const cp = await build('manifests/smm-controlplane/overlays/c1');
    expect(cp.find((o) => o.kind === 'IstioControlPlane')!.spec.meshConfig.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    // One ApplicationSet for both clusters, after the demo app.
    const appSet = parse(tree.get('apps/mesh-policies/app-set.yaml')!.content);
    expect(appSet.spec.generators[0].list.elements).toEqual([
      { cluster: 'c1', argocdCluster: 'c1' },
      { cluster: 'c2', argocdCluster: 'c2' },
    ]);
    expect(appSet.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('3');
  });

  it('a fleet without policies gets no mesh-policies application', async () => {
    const { tree } = await render(fleet('  peerAuthentications: []\n'));
    expect([...tree.keys()].filter((p) => p.includes('mesh-policies'))).toEqual([]);
    expect(parse(tree.get('apps/kustomization.yaml')!.content).resources).not.toContain('mesh-policies/app-set.yaml');
  });

  it.each([
    [
      'unknown cluster',
      '  serviceEntries: [{name: a, namespace: n, hosts: [a.org], ports: [{number: 80, name: http, protocol: HTTP}], clusters: [c9]}]\n',
      'policies.serviceEntries[0].clusters[0]',
      'unknown cluster "c9"',
    ],
    [
      'duplicate',
      '  sidecars: [{name: a, namespace: n, egressHosts: [./*]}, {name: a, namespace: n, egressHosts: [./*]}]\n',
      'policies.sidecars[1].name',
      'listed twice',
    ],
    ['DENY without rules', '  authorizationPolicies: [{name: a, namespace: n, action: DENY}]\n', 'policies.authorizationPolicies[0].rules', 'matches nothing'],
    ['bad sidecar host', '  sidecars: [{name: a, namespace: n, egressHosts: [notifications]}]\n', 'policies.sidecars[0].egressHosts[0]', 'namespace/host'],
  ])('rejects %s', (_n, policies, path, message) => {
    expect(() => parseFleet(fleet(policies))).toThrow(path);
    expect(() => parseFleet(fleet(policies))).toThrow(message);
  });
});
