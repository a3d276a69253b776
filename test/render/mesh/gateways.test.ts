/**
 * Day-2 gateways against the Calisti docs' own examples (2.5.6.1, 2.5.6.2, 2.5.6.4, 2.8.5), each
 * rendered from a model and built with the real kustomize.
 */
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../../src/model/load.js';
import { fleetModel, renderToDisk } from './render.js';

const OVERLAY = 'manifests/smm-controlplane/overlays/c1';

/** A one-cluster fleet with these gateways (YAML list items, indented by two). */
const fleet = (gateways: string) => fleetModel('  - name: c1', `gateways:\n${gateways}`);

async function build(model: string) {
  const objs = await renderToDisk(model).build(OVERLAY);
  return { objs, one: (kind: string, name?: string) => objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name))! };
}

/** The docs' 2.8.5 gateway, as a model. */
const letsEncrypt = `  - name: app-ingress
    namespace: my-app
    clusters: [c1]
    runAsRoot: true
    replicas: {min: 1, max: 1, count: 1}
    service:
      annotations:
        external-dns.alpha.kubernetes.io/hostname: my-app.example.org
    httpsRedirect: true
    letsEncrypt:
      email: noreply@cisco.com
    ports:
      - {name: http, port: 80, targetPort: 8080}
      - name: https
        port: 443
        targetPort: 8443
        protocol: HTTPS
        hosts: [my-app.example.org]
        tls: {mode: SIMPLE, credentialName: app-ingressgateway-tls}
`;

describe("gateways: the docs' examples", () => {
  it("2.8.5 Let's Encrypt: IstioMeshGateway, Gateway, Issuer and Certificate as the docs write them", async () => {
    const { one } = await build(fleet(letsEncrypt));
    const imgw = one('IstioMeshGateway').spec;
    expect(imgw.deployment).toEqual({ replicas: { min: 1, max: 1, count: 1 } });
    expect(imgw.service.metadata).toEqual({ annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'my-app.example.org' } });
    expect(imgw.service.ports.slice(1)).toEqual([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
    ]);
    expect(imgw.runAsRoot).toBe(true);

    const gw = one('Gateway');
    expect(gw.spec.servers).toEqual([
      { hosts: ['*'], port: { name: 'http', number: 80, protocol: 'HTTP' }, tls: { httpsRedirect: true } },
      {
        hosts: ['my-app.example.org'],
        port: { name: 'https', number: 443, protocol: 'HTTPS' },
        tls: { credentialName: 'app-ingressgateway-tls', mode: 'SIMPLE' },
      },
    ]);

    const issuer = one('Issuer');
    expect(issuer.spec).toEqual({
      acme: {
        email: 'noreply@cisco.com',
        preferredChain: '',
        privateKeySecretRef: { name: 'app-ingress-letsencrypt-account' },
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        solvers: [{ http01: { ingress: { class: 'nginx' } } }],
      },
    });
    const cert = one('Certificate');
    expect(cert.spec).toEqual({
      dnsNames: ['my-app.example.org'],
      duration: '2160h0m0s',
      issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: issuer.metadata.name },
      privateKey: { algorithm: 'RSA', encoding: 'PKCS1', size: 2048 },
      renewBefore: '360h0m0s',
      secretName: 'app-ingressgateway-tls',
      usages: ['server auth', 'client auth'],
    });
    // The selector finds this Gateway: it matches its labels and the pods it selects.
    const selector = JSON.parse(cert.metadata.annotations['acme.smm.cisco.com/gateway-selector']);
    expect(gw.metadata.labels).toEqual(selector);
    expect(gw.spec.selector).toEqual(selector);
    // cert-manager's CRDs arrive with the ControlPlane in the same sync.
    expect(cert.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    expect(Number(cert.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(
      Number(one('ControlPlane').metadata.annotations['argocd.argoproj.io/sync-wave']),
    );
  });

  it('2.5.6.1 GKE internal load balancer with a static address', async () => {
    const { one } = await build(
      fleet(`  - name: demo-gw
    namespace: echo
    clusters: [c1]
    service:
      loadBalancerIP: 10.100.100.100
      annotations: {networking.gke.io/load-balancer-type: Internal}
    ports: [{name: http, port: 80, targetPort: 8080}]
    routes: [{destination: {host: echo.default.svc.cluster.local, port: 80}}]
`),
    );
    expect(one('IstioMeshGateway').spec.service).toEqual({
      loadBalancerIP: '10.100.100.100',
      metadata: { annotations: { 'networking.gke.io/load-balancer-type': 'Internal' } },
      ports: [
        { name: 'tcp-status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      ],
      type: 'LoadBalancer',
    });
  });

  it('2.5.6.2 egress: mesh -> egress gateway -> httpbin.org, with its ServiceEntry', async () => {
    const { objs, one } = await build(
      fleet(`  - name: egress-demo
    namespace: egress
    type: egress
    clusters: [c1]
    serviceType: ClusterIP
    ports: [{name: http, port: 80, targetPort: 8080, hosts: [httpbin.org]}]
    external: [{host: httpbin.org, port: 80, gatewayPort: 80}]
`),
    );
    expect(one('IstioMeshGateway').spec.type).toBe('egress');
    expect(one('ServiceEntry').spec).toEqual({
      hosts: ['httpbin.org'],
      location: 'MESH_EXTERNAL',
      ports: [{ name: 'http-80', number: 80, protocol: 'HTTP' }],
      resolution: 'DNS',
    });
    const vs = objs.filter((o) => o.kind === 'VirtualService');
    expect(vs).toHaveLength(1);
    expect(vs[0]!.spec).toEqual({
      gateways: ['mesh', 'egress-demo'],
      hosts: ['httpbin.org'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: 'egress-demo.egress.svc.cluster.local', port: { number: 80 } } }] },
        { match: [{ gateways: ['egress-demo'], port: 80 }], route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] },
      ],
    });
  });

  it('2.5.6.4 routes: weights, retries, timeout, rewrite, redirect, mirror, fault, headers, CORS; TCP and TLS ports get tcp and tls routes', async () => {
    const { objs } = await build(
      fleet(`  - name: edge
    namespace: edge
    clusters: [c1]
    ports:
      - {name: http, port: 8080}
      - {name: tcp-db, port: 5432, protocol: TCP}
      - {name: tls-pass, port: 8443, protocol: TLS, hosts: [db.example.org], tls: {mode: PASSTHROUGH}}
    routes:
      - prefix: /ratings/v2/
        port: 8080
        method: GET
        matchHeaders: {end-user: {exact: jason}}
        destinations:
          - {host: ratings.app.svc.cluster.local, port: 9080, subset: v1, weight: 75}
          - {host: ratings.app.svc.cluster.local, port: 9080, subset: v2, weight: 25}
        timeout: 10s
        retries: {attempts: 3, perTryTimeout: 2s, retryOn: 5xx}
        rewrite: {uri: /v2/}
        mirror: {host: shadow.app.svc.cluster.local, port: 9080, percentage: 10}
        fault: {delay: {fixedDelay: 5s, percentage: 1}, abort: {httpStatus: 503, percentage: 0.5}}
        headers: {request: {set: {x-gateway: edge}}, response: {remove: [server]}}
        corsPolicy: {allowOrigins: [{exact: https://example.org}], allowMethods: [GET], maxAge: 24h}
      - {prefix: /old, redirect: {uri: /new, redirectCode: 308}}
      - {port: 5432, destination: {host: db.app.svc.cluster.local, port: 5432}}
      - {port: 8443, hosts: [db.example.org], destination: {host: db.app.svc.cluster.local, port: 8443}}
`),
    );
    const [weighted, redirect, tcp, tls] = objs
      .filter((o) => o.kind === 'VirtualService')
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((o) => o.spec);
    expect(weighted.http).toEqual([
      {
        match: [{ uri: { prefix: '/ratings/v2/' }, method: { exact: 'GET' }, headers: { 'end-user': { exact: 'jason' } }, port: 8080 }],
        route: [
          { destination: { host: 'ratings.app.svc.cluster.local', port: { number: 9080 }, subset: 'v1' }, weight: 75 },
          { destination: { host: 'ratings.app.svc.cluster.local', port: { number: 9080 }, subset: 'v2' }, weight: 25 },
        ],
        rewrite: { uri: '/v2/' },
        timeout: '10s',
        retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' },
        fault: { delay: { fixedDelay: '5s', percentage: { value: 1 } }, abort: { httpStatus: 503, percentage: { value: 0.5 } } },
        mirror: { host: 'shadow.app.svc.cluster.local', port: { number: 9080 } },
        mirrorPercentage: { value: 10 },
        headers: { request: { set: { 'x-gateway': 'edge' } }, response: { remove: ['server'] } },
        corsPolicy: { allowOrigins: [{ exact: 'https://example.org' }], allowMethods: ['GET'], maxAge: '24h' },
      },
    ]);
    expect(redirect.http).toEqual([{ match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new', redirectCode: 308 } }]);
    expect(tcp).toEqual({
      gateways: ['edge'],
      hosts: ['*'],
      tcp: [{ match: [{ port: 5432 }], route: [{ destination: { host: 'db.app.svc.cluster.local', port: { number: 5432 } } }] }],
    });
    expect(tls.tls).toEqual([
      { match: [{ port: 8443, sniHosts: ['db.example.org'] }], route: [{ destination: { host: 'db.app.svc.cluster.local', port: { number: 8443 } } }] },
    ]);
  });
});

const base = `  - name: gw
    namespace: gw
    clusters: [c1]
`;
describe('gateways: mistakes the docs warn about', () => {
  it.each([
    [
      'TCP-only gateway with a route that names no port',
      `${base}    ports: [{name: tcp, port: 5432, protocol: TCP}]\n    routes: [{destination: {host: db, port: 5432}}]\n`,
      'gateways[0].routes[0].port',
      'HTTP route never matches',
    ],
    [
      'HTTP-only field on a TCP route',
      `${base}    ports: [{name: tcp, port: 5432, protocol: TCP}]\n    routes: [{port: 5432, timeout: 5s, destination: {host: db, port: 5432}}]\n`,
      'gateways[0].routes[0].timeout',
      'HTTP only',
    ],
    [
      'weights that do not add up',
      `${base}    ports: [{name: http, port: 8080}]\n    routes: [{destinations: [{host: a, port: 80, weight: 50}, {host: b, port: 80, weight: 40}]}]\n`,
      'gateways[0].routes[0].destinations',
      'add up to 100 (now 90)',
    ],
    [
      'route with destination and redirect',
      `${base}    ports: [{name: http, port: 8080}]\n    routes: [{redirect: {uri: /x}, destination: {host: a, port: 80}}]\n`,
      'gateways[0].routes[0]',
      'exactly one of destination, destinations or redirect',
    ],
    [
      'external service on an ingress gateway',
      `${base}    ports: [{name: http, port: 8080}]\n    external: [{host: httpbin.org, port: 80, gatewayPort: 8080}]\n`,
      'gateways[0].external',
      'set type: egress',
    ],
    [
      "Let's Encrypt without port 80",
      `${base}    ports: [{name: https, port: 8443, protocol: HTTPS, hosts: [a.example.org], tls: {mode: SIMPLE, credentialName: a-tls}}]\n    letsEncrypt: {email: a@example.org}\n`,
      'gateways[0].letsEncrypt',
      'HTTP port 80',
    ],
    [
      "Let's Encrypt for a wildcard host",
      `${base}    runAsRoot: true\n    ports: [{name: http, port: 80}, {name: https, port: 443, protocol: HTTPS, tls: {mode: SIMPLE, credentialName: a-tls}}]\n    letsEncrypt: {email: a@example.org}\n`,
      'gateways[0].ports[1].hosts',
      'concrete DNS names',
    ],
    [
      "httpsRedirect with named HTTP hosts and Let's Encrypt (2.8.5 known limitation)",
      `${base}    runAsRoot: true\n    httpsRedirect: true\n    ports: [{name: http, port: 80, hosts: [a.example.org]}, {name: https, port: 443, protocol: HTTPS, hosts: [a.example.org], tls: {mode: SIMPLE, credentialName: a-tls}}]\n    letsEncrypt: {email: a@example.org}\n`,
      'gateways[0].httpsRedirect',
      'known limitations',
    ],
    ['replicas min above max', `${base}    replicas: {min: 3, max: 2}\n    ports: [{name: http, port: 8080}]\n`, 'gateways[0].replicas.min', 'must not exceed'],
  ])('%s', (_name, gateways, path, message) => {
    let error: Error | undefined;
    try {
      parseFleet(fleet(gateways));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(path);
    expect(error?.message).toContain(message);
  });
});
