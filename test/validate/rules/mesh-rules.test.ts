/**
 * The mesh rules of src/validate/rules/ as a fixture table: one row per behaviour, the resources a
 * fleet deploys in, the findings out (rule, cluster, resource). The docs' own examples (2.7.3) are
 * rows; every rule has a row that passes and one that fails.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../../src/validate/mesh.js';
import { clusterRules, fleetRules } from '../../../src/validate/mesh.js';
import { MESH_RULES } from '../../../src/validate/rules/registry.js';
import { fleetFacts } from '../../../src/validate/shard.js';
import { networkChangeFindings } from '../../../src/validate/rules/network-change.js';
import { parseFleet } from '../../../src/model/load.js';

type Obj = Record<string, unknown>;
const obj = (apiVersion: string, kind: string, namespace: string | undefined, name: string, spec: Obj = {}, labels?: Record<string, string>): Obj => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
  spec,
});
const view = (cluster: string, ...objs: Obj[]): ClusterView => ({ cluster, resources: objs.map((o) => ({ obj: o, application: `app-${cluster}` })) });

const icp = (mode = 'ACTIVE') =>
  obj('servicemesh.cisco.com/v1alpha1', 'IstioControlPlane', 'istio-system', 'cp-v115x', { mode, meshID: 'mesh1', networkName: 'n1' });
const cp = (role?: string) =>
  obj('smm.cisco.com/v1alpha1', 'ControlPlane', undefined, 'smm', {
    ...(role ? { role } : {}),
    meshManager: { istio: { istioCRRef: { name: 'cp-v115x', namespace: 'istio-system' } } },
  });
const ns = (name: string, labels: Record<string, string>) => obj('v1', 'Namespace', undefined, name, {}, labels);
const meshGw = (name: string, namespace: string, labels?: Record<string, string>) =>
  obj('servicemesh.cisco.com/v1alpha1', 'IstioMeshGateway', namespace, name, {
    istioControlPlane: { name: 'cp-v115x', namespace: 'istio-system' },
    type: 'ingress',
    ...(labels ? { deployment: { metadata: { labels } } } : {}),
  });
const server = (number: number, protocol: string, tls?: Obj) => ({
  hosts: ['*'],
  port: { name: protocol.toLowerCase(), number, protocol },
  ...(tls ? { tls } : {}),
});
const gw = (name: string, selector: Record<string, string>, ...servers: Obj[]) =>
  obj('networking.istio.io/v1beta1', 'Gateway', 'istio-system', name, { selector, servers });
const dr = (name: string, namespace: string, host: string, trafficPolicy?: Obj) =>
  obj('networking.istio.io/v1beta1', 'DestinationRule', namespace, name, { host, ...(trafficPolicy ? { trafficPolicy } : {}) });
const pa = (namespace: string, mode: string, selector?: Obj) =>
  obj('security.istio.io/v1beta1', 'PeerAuthentication', namespace, 'default', { mtls: { mode }, ...(selector ? { selector } : {}) });
const vs = (namespace: string, ...hosts: string[]) =>
  obj('networking.istio.io/v1beta1', 'VirtualService', namespace, 'vs', { hosts: ['*'], http: [{ route: hosts.map((host) => ({ destination: { host } })) }] });
const svc = (namespace: string, name: string) => obj('v1', 'Service', namespace, name);
const demo = (components: string[]) => obj('smm.cisco.com/v1alpha1', 'DemoApplication', 'smm-demo', 'smm-demo', { enabledComponents: components });
const se = (...hosts: string[]) => obj('networking.istio.io/v1beta1', 'ServiceEntry', 'egress', 'ext', { hosts, location: 'MESH_EXTERNAL' });
const MUTUAL = { tls: { mode: 'ISTIO_MUTUAL' } };
// The docs' 2.7.3 gateway: an IstioMeshGateway labelled app: demo-gw, selected by app + gateway-name + gateway-type.
const DOCS_SELECTOR = { app: 'demo-gw', 'gateway-name': 'demo-gw', 'gateway-type': 'ingress' };

type Row = [name: string, views: ClusterView[], expected: string[]];

/** `rule cluster kind/name` for every finding the new rules and the reworked gateway rules give. */
const RULES_UNDER_TEST = new Set([...MESH_RULES.map((r) => r.id), 'controlplane/role-mismatch']);
const run = (views: ClusterView[]) =>
  [...views.flatMap((v) => clusterRules(v)), ...fleetRules(views)]
    .filter((f) => RULES_UNDER_TEST.has(f.rule))
    .map((f) => `${f.rule} ${f.cluster ?? '-'} ${f.resource ? `${f.resource.kind}/${f.resource.name}` : '-'}`)
    .sort();

const rows: Row[] = [
  // Topologies (2.7.1)
  ['a passive SMM on a primary Istio cluster (documented) passes', [view('c1', icp(), cp()), view('c2', icp(), cp('passive'))], []],
  ['a passive SMM on a remote Istio cluster passes', [view('c1', icp(), cp()), view('c2', icp('PASSIVE'), cp('passive'))], []],
  ['an active SMM on a remote Istio cluster', [view('c1', icp('PASSIVE'), cp())], ['controlplane/role-mismatch c1 ControlPlane/smm']],
  [
    'two active SMM control planes, both reported',
    [view('c1', icp(), cp()), view('c2', icp(), cp('active'))],
    ['controlplane/multiple-active c1 ControlPlane/smm', 'controlplane/multiple-active c2 ControlPlane/smm'],
  ],
  [
    'istio-injection=enabled does not inject',
    [view('c1', icp(), ns('app', { 'istio-injection': 'enabled' }))],
    ['namespace/istio-injection-label c1 Namespace/app'],
  ],
  [
    'istio-injection next to istio.io/rev turns injection off',
    [view('c1', icp(), ns('app', { 'istio-injection': 'disabled', 'istio.io/rev': 'cp-v115x.istio-system' }))],
    ['namespace/istio-injection-label c1 Namespace/app'],
  ],
  [
    'istio.io/rev alone, or istio-injection=disabled alone, passes',
    [view('c1', icp(), ns('a', { 'istio.io/rev': 'cp-v115x.istio-system' }), ns('b', { 'istio-injection': 'disabled' }))],
    [],
  ],
  // DestinationRule with mTLS but no mesh policy (2.7.3)
  [
    "the docs' DestinationRule movies with ISTIO_MUTUAL and no mesh policy",
    [view('c1', icp(), dr('movies', 'smm-demo', 'movies', MUTUAL))],
    ['destinationrule/enabled-mtls/missing-mesh-policy c1 DestinationRule/movies'],
  ],
  [
    'ISTIO_MUTUAL on one port only, no mesh policy',
    [view('c1', icp(), dr('movies', 'smm-demo', 'movies', { portLevelSettings: [{ port: { number: 8080 }, ...MUTUAL }] }))],
    ['destinationrule/enabled-mtls/missing-mesh-policy c1 DestinationRule/movies'],
  ],
  [
    'ISTIO_MUTUAL with a mesh-wide PeerAuthentication passes',
    [view('c1', icp(), pa('istio-system', 'STRICT'), dr('movies', 'smm-demo', 'movies', MUTUAL))],
    [],
  ],
  [
    "ISTIO_MUTUAL with a namespace-wide PeerAuthentication in the host's namespace passes",
    [view('c1', icp(), pa('smm-demo', 'PERMISSIVE'), dr('m', 'other', 'movies.smm-demo.svc.cluster.local', MUTUAL))],
    [],
  ],
  [
    'a workload-selecting PeerAuthentication is not a mesh policy',
    [view('c1', icp(), pa('istio-system', 'STRICT', { matchLabels: { app: 'x' } }), dr('movies', 'smm-demo', 'movies', MUTUAL))],
    ['destinationrule/enabled-mtls/missing-mesh-policy c1 DestinationRule/movies'],
  ],
  [
    'a namespace policy that disables mTLS under a STRICT mesh',
    [view('c1', icp(), pa('istio-system', 'STRICT'), pa('smm-demo', 'DISABLE'), dr('movies', 'smm-demo', 'movies', MUTUAL))],
    ['destinationrule/enabled-mtls/missing-mesh-policy c1 DestinationRule/movies'],
  ],
  [
    'a DestinationRule without mTLS needs no mesh policy',
    [view('c1', icp(), dr('movies', 'smm-demo', 'movies', { connectionPool: { tcp: { maxConnections: 1 } } }))],
    [],
  ],
  // Gateways judged by the pods they select (2.7.3)
  [
    "the docs' port conflict: TCP and TLS on 9443 of demo-gw, reported on both",
    [
      view(
        'c1',
        meshGw('demo-gw', 'istio-system', { app: 'demo-gw' }),
        gw('demo-gw-port-conflict-01', DOCS_SELECTOR, server(9443, 'TCP')),
        gw('demo-gw-port-conflict-02', DOCS_SELECTOR, server(9443, 'TLS', { mode: 'SIMPLE' })),
      ),
    ],
    ['gateway/port/protocol-conflict c1 Gateway/demo-gw-port-conflict-01', 'gateway/port/protocol-conflict c1 Gateway/demo-gw-port-conflict-02'],
  ],
  [
    'different selector maps that select the same pods conflict',
    [
      view(
        'c1',
        meshGw('demo-gw', 'istio-system', { app: 'demo-gw' }),
        gw('a', { app: 'demo-gw' }, server(9443, 'TCP')),
        gw('b', { 'gateway-name': 'demo-gw' }, server(9443, 'TLS')),
      ),
    ],
    ['gateway/port/protocol-conflict c1 Gateway/a', 'gateway/port/protocol-conflict c1 Gateway/b'],
  ],
  [
    'equal ports on different gateway pods do not conflict',
    [
      view(
        'c1',
        meshGw('gw-1', 'istio-system'),
        meshGw('gw-2', 'istio-system'),
        gw('a', { 'gateway-name': 'gw-1' }, server(9443, 'TCP')),
        gw('b', { 'gateway-name': 'gw-2' }, server(9443, 'TLS')),
      ),
    ],
    [],
  ],
  [
    'selectors of unknown pods conflict when one holds the other',
    [view('c1', gw('a', { app: 'x' }, server(9443, 'TCP')), gw('b', { app: 'x', tier: 'edge' }, server(9443, 'TLS')))],
    [
      'gateway/port/protocol-conflict c1 Gateway/a',
      'gateway/port/protocol-conflict c1 Gateway/b',
      'gateway/selector-unmatched c1 Gateway/a',
      'gateway/selector-unmatched c1 Gateway/b',
    ],
  ],
  [
    "the docs' reused wildcard certificate, reported on both Gateways",
    [
      view(
        'c1',
        meshGw('demo-gw', 'istio-system', { app: 'demo-gw' }),
        gw('demo-gw-tls-conflict-01', DOCS_SELECTOR, server(443, 'HTTPS', { mode: 'SIMPLE', credentialName: 'example-wildcard-cert' })),
        gw('demo-gw-tls-conflict-02', DOCS_SELECTOR, server(443, 'HTTPS', { mode: 'SIMPLE', credentialName: 'example-wildcard-cert' })),
      ),
    ],
    ['gateway/reused-cert c1 Gateway/demo-gw-tls-conflict-01', 'gateway/reused-cert c1 Gateway/demo-gw-tls-conflict-02'],
  ],
  [
    'one certificate on different gateway pods passes',
    [
      view(
        'c1',
        meshGw('gw-1', 'istio-system'),
        meshGw('gw-2', 'istio-system'),
        gw('a', { 'gateway-name': 'gw-1' }, server(443, 'HTTPS', { mode: 'SIMPLE', credentialName: 'c' })),
        gw('b', { 'gateway-name': 'gw-2' }, server(443, 'HTTPS', { mode: 'SIMPLE', credentialName: 'c' })),
      ),
    ],
    [],
  ],
  [
    "a Gateway selecting a Deployment's pods passes",
    [
      view(
        'c1',
        obj('apps/v1', 'Deployment', 'edge', 'envoy', { template: { metadata: { labels: { istio: 'edge' } } } }),
        gw('a', { istio: 'edge' }, server(80, 'HTTP')),
      ),
    ],
    [],
  ],
  [
    'a Gateway selecting nothing the cluster receives',
    [view('c1', meshGw('demo-gw', 'istio-system'), gw('a', { 'gateway-name': 'demo-gateway' }, server(80, 'HTTP')))],
    ['gateway/selector-unmatched c1 Gateway/a'],
  ],
  // VirtualService destinations (2.7.3)
  [
    'a destination on another cluster of the mesh resolves',
    [view('c1', demo(['frontpage']), vs('smm-demo-gw', 'catalog.smm-demo.svc.cluster.local')), view('c2', demo(['catalog']))],
    [],
  ],
  [
    'a misspelt demo service',
    [view('c1', demo(['frontpage']), vs('smm-demo-gw', 'frontpag.smm-demo.svc.cluster.local'))],
    ['virtualservice/destination-unknown c1 VirtualService/vs'],
  ],
  [
    "a short name resolves in the VirtualService's namespace",
    [view('c1', svc('web', 'api'), vs('web', 'api')), view('c2', svc('web', 'ui'), vs('web', 'nope'))],
    ['virtualservice/destination-unknown c2 VirtualService/vs'],
  ],
  ['a namespace the repo deploys no Service in is not judged', [view('c1', vs('web', 'api.team-a.svc.cluster.local'))], []],
  [
    'an external host needs a ServiceEntry; a wildcard entry covers it',
    [view('c1', se('*.example.org'), vs('egress', 'api.example.org', 'httpbin.org'))],
    ['virtualservice/destination-unknown c1 VirtualService/vs'],
  ],
  [
    "an egress route through the gateway's Service resolves",
    [view('c1', meshGw('egress', 'egress'), se('httpbin.org'), vs('egress', 'egress.egress.svc.cluster.local', 'httpbin.org'))],
    [],
  ],
];

describe('mesh rules', () => {
  it.each(rows)('%s', (_name, views, expected) => {
    expect(run(views)).toEqual([...expected].sort());
  });

  it('fleet rules give the same findings over what validate --shard carries to the merge', () => {
    for (const [name, views] of rows) {
      expect(
        fleetRules(fleetFacts(views, true).views).map((f) => f.message),
        name,
      ).toEqual(fleetRules(views).map((f) => f.message));
    }
  });

  it('names a few of many active control planes, not the whole fleet, in each finding', () => {
    const views = Array.from({ length: 200 }, (_, i) => view(`c${i}`, icp(), cp()));
    const found = fleetRules(views).filter((f) => f.rule === 'controlplane/multiple-active');
    expect(found).toHaveLength(200);
    expect(found[0]!.message).toContain('200 active Service Mesh Manager control planes (c0, c1, c2, c3 and 196 more)');
    expect(Math.max(...found.map((f) => f.message.length))).toBeLessThan(400);
  });

  it('every registered rule has a failing row', () => {
    const failing = new Set(rows.flatMap(([, , e]) => e.map((x) => x.split(' ')[0])));
    expect(MESH_RULES.map((r) => r.id).filter((id) => !failing.has(id))).toEqual([]);
  });
});

describe('topology/network-change', () => {
  const model = (network2: string) =>
    parseFleet(
      `apiVersion: calisti-gitops.io/v1alpha1
kind: Fleet
calisti: { version: 1.12.0 }
git: { repoURL: https://example.org/fleet.git }
clusters:
  - { name: c1, network: n1 }
  - { name: c2, role: passive${network2 ? `, network: ${network2}` : ''} }
`,
      'calisti.yaml',
    );
  it.each([
    ['the same network', 'n1', 'n1', []],
    ['a cluster moved to another network', 'n1', 'n2', ['c2 moves from network n1 to n2']],
    ['the default network (the cluster name) made explicit', '', 'c2', []],
    ['from the default network to a shared one', '', 'n1', ['c2 moves from network c2 to n1']],
  ] as const)('%s', (_name, before, after, expected) => {
    const got = networkChangeFindings('HEAD', model(before), model(after));
    expect(got.map((f) => /cluster (.*?);/.exec(f.message)![1])).toEqual(expected);
    for (const f of got) expect(f).toMatchObject({ rule: 'topology/network-change', severity: 'warning', file: 'calisti.yaml' });
    if (got.length) expect(got[0]!.message).toContain('smm istio cluster detach');
  });
});
