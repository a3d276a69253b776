/**
 * Mesh gateways (docs 2.5.6): an IstioMeshGateway for the Envoy deployment and its Service, an Istio
 * Gateway for its listeners, one VirtualService per route, Let's Encrypt certificates through
 * cert-manager (2.8.5), and for egress gateways a ServiceEntry plus a mesh -> gateway -> external
 * VirtualService per external service (2.5.6.2).
 */
import { acmePorts, routeKind } from '../../../model/mesh/gateways.js';
import type { Gateway } from '../../../model/schema.js';
import type { RenderContext } from '../../context.js';
import { SYNC_WAVE, WAVE } from '../../layout.js';
import type { K8sObject } from '../../yaml.js';

type Route = Gateway['routes'][number];
type External = Gateway['external'][number];

const wave = (w: string) => ({ [SYNC_WAVE]: w });
/** cert-manager's kinds exist only once the ControlPlane installed cert-manager, later in the same sync. */
const afterCrds = (w: string) => ({ ...wave(w), 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
/** The status port Istio gateways always serve (docs 2.5.6 examples). */
const STATUS_PORT = { name: 'tcp-status-port', port: 15021, protocol: 'TCP', targetPort: 15021 };
const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;
const MESH = 'mesh';

/** The labels SMM puts on a gateway's pods; the Gateway selects them and certificates find it by them. */
const selectorOf = (gw: Gateway) => ({ 'gateway-name': gw.name, 'gateway-type': gw.type });
const serviceHost = (gw: Gateway) => `${gw.name}.${gw.namespace}.svc.cluster.local`;

export function meshGateway(ctx: RenderContext, gw: Gateway): K8sObject {
  return {
    apiVersion: 'servicemesh.cisco.com/v1alpha1',
    kind: 'IstioMeshGateway',
    metadata: { annotations: wave(WAVE.meshGateway), name: gw.name, namespace: gw.namespace },
    spec: {
      ...(gw.replicas ? { deployment: { replicas: gw.replicas } } : {}),
      istioControlPlane: { name: gw.revision ?? ctx.revision, namespace: ctx.fleet.istio.namespace },
      runAsRoot: gw.runAsRoot,
      service: {
        ...(gw.service?.loadBalancerIP ? { loadBalancerIP: gw.service.loadBalancerIP } : {}),
        ...(gw.service?.annotations ? { metadata: { annotations: gw.service.annotations } } : {}),
        ports: [STATUS_PORT, ...gw.ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP', targetPort: p.targetPort ?? p.port }))],
        type: gw.serviceType,
      },
      type: gw.type,
    },
  };
}

function serverTls(gw: Gateway, p: Gateway['ports'][number]): Record<string, unknown> | undefined {
  if (p.tls) return { mode: p.tls.mode, ...(p.tls.credentialName ? { credentialName: p.tls.credentialName } : {}) };
  if (gw.httpsRedirect && p.protocol === 'HTTP') return { httpsRedirect: true };
  return undefined;
}

export function istioGateway(gw: Gateway): K8sObject {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: {
      annotations: wave(WAVE.gatewayConfig),
      // The Certificates' acme.smm.cisco.com/gateway-selector matches these.
      ...(gw.letsEncrypt ? { labels: selectorOf(gw) } : {}),
      name: gw.name,
      namespace: gw.namespace,
    },
    spec: {
      selector: selectorOf(gw),
      servers: gw.ports.map((p) => {
        const tls = serverTls(gw, p);
        return { hosts: p.hosts, port: { name: p.name, number: p.port, protocol: p.protocol }, ...(tls ? { tls } : {}) };
      }),
    },
  };
}

const destination = (host: string, port: number | undefined, subset?: string) => ({
  host,
  ...(port === undefined ? {} : { port: { number: port } }),
  ...(subset ? { subset } : {}),
});
const percentage = (value: number) => ({ value });

function routeTargets(r: Route): Record<string, unknown>[] {
  if (r.destinations)
    return r.destinations.map((d) => ({ destination: destination(d.host, d.port, d.subset), ...(d.weight === undefined ? {} : { weight: d.weight }) }));
  return r.destination ? [{ destination: destination(r.destination.host, r.destination.port) }] : [];
}

function httpRoute(r: Route): Record<string, unknown> {
  const match = {
    uri: r.exact !== undefined ? { exact: r.exact } : { prefix: r.prefix },
    ...(r.method ? { method: { exact: r.method } } : {}),
    ...(r.matchHeaders ? { headers: r.matchHeaders } : {}),
    ...(r.port !== undefined ? { port: r.port } : {}),
  };
  return {
    match: [match],
    ...(r.redirect ? { redirect: r.redirect } : { route: routeTargets(r) }),
    ...(r.rewrite ? { rewrite: r.rewrite } : {}),
    ...(r.timeout ? { timeout: r.timeout } : {}),
    ...(r.retries ? { retries: r.retries } : {}),
    ...(r.fault
      ? {
          fault: {
            ...(r.fault.delay ? { delay: { fixedDelay: r.fault.delay.fixedDelay, percentage: percentage(r.fault.delay.percentage) } } : {}),
            ...(r.fault.abort ? { abort: { httpStatus: r.fault.abort.httpStatus, percentage: percentage(r.fault.abort.percentage) } } : {}),
          },
        }
      : {}),
    ...(r.mirror ? { mirror: destination(r.mirror.host, r.mirror.port) } : {}),
    ...(r.mirror?.percentage !== undefined ? { mirrorPercentage: percentage(r.mirror.percentage) } : {}),
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.corsPolicy ? { corsPolicy: r.corsPolicy } : {}),
  };
}

/** The route section of one route: http, tcp (by port) or tls (by port and SNI). */
function routeSection(gw: Gateway, r: Route): Record<string, unknown> {
  const kind = routeKind(gw, r.port);
  if (kind === 'http') return { http: [httpRoute(r)] };
  if (kind === 'tcp') return { tcp: [{ match: [{ port: r.port }], route: routeTargets(r) }] };
  return { tls: [{ match: [{ port: r.port, sniHosts: r.sniHosts ?? r.hosts }], route: routeTargets(r) }] };
}

export function virtualServices(gw: Gateway): K8sObject[] {
  return gw.routes.map((r, i) => ({
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { annotations: wave(WAVE.gatewayConfig), name: gw.routes.length === 1 ? gw.name : `${gw.name}-${i + 1}`, namespace: gw.namespace },
    spec: {
      gateways: [gw.name],
      hosts: r.hosts,
      ...routeSection(gw, r),
    },
  }));
}

/** The Issuer of a gateway's Let's Encrypt certificates (docs 2.8.5, its solver as the docs give it). */
export function acmeIssuer(gw: Gateway): K8sObject[] {
  if (!gw.letsEncrypt) return [];
  const { email, server } = gw.letsEncrypt;
  return [
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { annotations: afterCrds(WAVE.meshGateway), name: `${gw.name}-letsencrypt`, namespace: gw.namespace },
      spec: {
        acme: {
          email,
          preferredChain: '',
          privateKeySecretRef: { name: `${gw.name}-letsencrypt-account` },
          server: server === 'production' || server === 'staging' ? ACME_SERVERS[server] : server,
          solvers: [{ http01: { ingress: { class: 'nginx' } } }],
        },
      },
    },
  ];
}

/** One Certificate per HTTPS port, into the Secret its Gateway server reads (docs 2.8.5). */
export function acmeCertificates(gw: Gateway): K8sObject[] {
  if (!gw.letsEncrypt) return [];
  return acmePorts(gw.ports).map((p) => ({
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: {
      annotations: { ...afterCrds(WAVE.meshGateway), 'acme.smm.cisco.com/gateway-selector': `${JSON.stringify(selectorOf(gw), null, 2)}\n` },
      name: `${gw.name}-${p.name}`,
      namespace: gw.namespace,
    },
    spec: {
      dnsNames: p.hosts,
      duration: '2160h0m0s',
      issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: `${gw.name}-letsencrypt` },
      privateKey: { algorithm: 'RSA', encoding: 'PKCS1', size: 2048 },
      renewBefore: '360h0m0s',
      secretName: p.tls!.credentialName!,
      usages: ['server auth', 'client auth'],
    },
  }));
}

const externalName = (gw: Gateway, e: External) => `${gw.name}-${e.host.replaceAll('.', '-')}-${e.port}`;

/** An external service reached through an egress gateway: its registry entry and its two-hop route. */
export function egressRoute(gw: Gateway, e: External): K8sObject[] {
  const name = externalName(gw, e);
  const hop = (gateways: string[], port: number, host: string, hostPort: number) =>
    e.protocol === 'HTTP'
      ? { match: [{ gateways, port }], route: [{ destination: destination(host, hostPort) }] }
      : { match: [{ gateways, port, sniHosts: [e.host] }], route: [{ destination: destination(host, hostPort) }] };
  return [
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'ServiceEntry',
      metadata: { annotations: wave(WAVE.gatewayConfig), name, namespace: gw.namespace },
      spec: {
        hosts: [e.host],
        location: 'MESH_EXTERNAL',
        ports: [{ name: `${e.protocol.toLowerCase()}-${e.port}`, number: e.port, protocol: e.protocol }],
        resolution: 'DNS',
      },
    },
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { annotations: wave(WAVE.gatewayConfig), name, namespace: gw.namespace },
      spec: {
        gateways: [MESH, gw.name],
        hosts: [e.host],
        // Sidecars send to the egress gateway; the gateway sends out.
        [e.protocol === 'HTTP' ? 'http' : 'tls']: [hop([MESH], e.port, serviceHost(gw), e.gatewayPort), hop([gw.name], e.gatewayPort, e.host, e.port)],
      },
    },
  ];
}
