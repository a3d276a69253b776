/** Policy objects (docs 2.7.2, 2.11.3): the model's policies as Istio networking and security resources. */
import type { Policies } from '../../../model/mesh/policies.js';
import type { K8sObject } from '../../yaml.js';

const NETWORKING = 'networking.istio.io/v1beta1';
const SECURITY = 'security.istio.io/v1beta1';
/** The name Istio gives the mesh-wide policy (docs 2.11.3). */
const MESH_POLICY = 'default';

type Item<K extends keyof Policies> = Policies[K] extends (infer T)[] ? T : never;
const meta = (o: { name: string; namespace: string }) => ({ name: o.name, namespace: o.namespace });
const selector = (labels: Record<string, string> | undefined) => (labels ? { selector: { matchLabels: labels } } : {});
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function meshPeerAuthentication(mode: string, istioNamespace: string): K8sObject {
  return { apiVersion: SECURITY, kind: 'PeerAuthentication', metadata: { name: MESH_POLICY, namespace: istioNamespace }, spec: { mtls: { mode } } };
}

export function peerAuthentication(p: Item<'peerAuthentications'>): K8sObject {
  return {
    apiVersion: SECURITY,
    kind: 'PeerAuthentication',
    metadata: meta(p),
    spec: {
      ...selector(p.selector),
      mtls: { mode: p.mtls },
      ...(p.portLevelMtls ? { portLevelMtls: Object.fromEntries(Object.entries(p.portLevelMtls).map(([port, mode]) => [port, { mode }])) } : {}),
    },
  };
}

export function destinationRule(d: Item<'destinationRules'>): K8sObject {
  return {
    apiVersion: NETWORKING,
    kind: 'DestinationRule',
    metadata: meta(d),
    spec: defined({ host: d.host, trafficPolicy: d.trafficPolicy, subsets: d.subsets }),
  };
}

export function authorizationPolicy(a: Item<'authorizationPolicies'>): K8sObject {
  const rules = a.rules.map((r) => defined({ from: r.from?.map((source) => ({ source })), to: r.to?.map((operation) => ({ operation })), when: r.when }));
  return {
    apiVersion: SECURITY,
    kind: 'AuthorizationPolicy',
    metadata: meta(a),
    spec: { ...selector(a.selector), action: a.action, ...(rules.length ? { rules } : {}) },
  };
}

export function sidecar(s: Item<'sidecars'>): K8sObject {
  return {
    apiVersion: NETWORKING,
    kind: 'Sidecar',
    metadata: meta(s),
    spec: {
      ...(s.selector ? { workloadSelector: { labels: s.selector } } : {}),
      egress: [{ hosts: s.egressHosts }],
      ...(s.outboundTrafficPolicy ? { outboundTrafficPolicy: { mode: s.outboundTrafficPolicy } } : {}),
    },
  };
}

export function serviceEntry(e: Item<'serviceEntries'>): K8sObject {
  return {
    apiVersion: NETWORKING,
    kind: 'ServiceEntry',
    metadata: meta(e),
    spec: { hosts: e.hosts, location: e.location, ports: e.ports, resolution: e.resolution },
  };
}
