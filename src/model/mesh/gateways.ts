/**
 * Day-2 gateway settings (docs 2.5.6, 2.8.5): the gateway Service, replicas and autoscaling, TLS
 * certificates from Let's Encrypt through cert-manager, HTTP-to-HTTPS redirect, the full
 * VirtualService route set, and egress to external services. Spread into Gateway and GatewayRoute
 * in ../schema.ts; checkGateway holds their cross-field rules.
 */
import { z } from 'zod';
import { DnsSubdomain, IstioHost } from '../names.js';
import type { Gateway } from '../schema.js';

const Port = z.number().int().min(1).max(65535);
const Percent = z.number().min(0).max(100);
/** A protobuf Duration as Istio reads it: 5s, 250ms, 1.5s. */
const Duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'must be a duration such as 250ms, 5s or 1m');
const Annotations = z.record(z.string().min(1), z.string()).describe('Kubernetes annotations (key: value).');
const StringMatch = z
  .union([
    z.strictObject({ exact: z.string().describe('Equal to this.') }),
    z.strictObject({ prefix: z.string().describe('Starting with this.') }),
    z.strictObject({ regex: z.string().describe('Matching this RE2 regular expression.') }),
  ])
  .describe('One of exact, prefix or regex (Istio StringMatch).');
const HeaderOps = z
  .strictObject({
    set: z.record(z.string(), z.string()).optional().describe('Headers to set, replacing any value.'),
    add: z.record(z.string(), z.string()).optional().describe('Headers to append.'),
    remove: z.array(z.string().min(1)).optional().describe('Headers to remove.'),
  })
  .describe('Header operations (Istio Headers.HeaderOperations).');

export const GatewayService = z
  .strictObject({
    annotations: Annotations.optional().describe(
      'Annotations on the gateway Service, e.g. networking.gke.io/load-balancer-type: Internal for an internal load balancer (docs 2.5.6.1).',
    ),
    loadBalancerIP: z
      .union([z.ipv4(), z.ipv6()])
      .optional()
      .describe('Static load balancer address reserved beforehand (IstioMeshGateway spec.service.loadBalancerIP).'),
  })
  .describe("The gateway's Kubernetes Service (IstioMeshGateway spec.service).");

export const GatewayReplicas = z
  .strictObject({
    count: z.number().int().min(0).optional().describe('Replicas while not autoscaled.'),
    min: z.number().int().min(0).optional().describe('Autoscaling lower bound; min below max adds a HorizontalPodAutoscaler.'),
    max: z.number().int().min(1).optional().describe('Autoscaling upper bound.'),
    targetCPUUtilizationPercentage: z.number().int().min(1).max(100).optional().describe('CPU utilization the autoscaler aims for.'),
  })
  .describe('Replicas of the gateway deployment (IstioMeshGateway spec.deployment.replicas, docs 2.8.5).');

export const LetsEncrypt = z
  .strictObject({
    email: z.email().describe("Contact address Let's Encrypt sends expiry notices to (ACME account)."),
    server: z
      .union([z.enum(['production', 'staging']), z.url({ protocol: /^https$/ })])
      .default('production')
      .describe('ACME directory: production, staging (for tests; untrusted certificates) or an https:// URL.'),
  })
  .describe(
    "Certificates from Let's Encrypt through cert-manager (docs 2.8.5): an Issuer, and one Certificate per HTTPS port with tls.mode SIMPLE, for its hosts, into its tls.credentialName. Needs serviceType LoadBalancer, an HTTP port 80 and DNS pointing at the gateway.",
  );

export const ExternalService = z
  .strictObject({
    host: DnsSubdomain.describe('External host name, e.g. httpbin.org.'),
    port: Port.describe('Port of the external service.'),
    protocol: z.enum(['HTTP', 'TLS']).default('HTTP').describe('HTTP: plain HTTP through the gateway; TLS: HTTPS passed through by SNI.'),
    gatewayPort: Port.describe('Port of this egress gateway (one of its ports) the traffic leaves through.'),
  })
  .describe(
    'An external service reached through this egress gateway (docs 2.5.6.2): a ServiceEntry plus a VirtualService routing mesh -> gateway -> external.',
  );

/** Spread into Gateway (../schema.ts). */
export const GatewayExtras = {
  service: GatewayService.optional(),
  replicas: GatewayReplicas.optional(),
  letsEncrypt: LetsEncrypt.optional(),
  httpsRedirect: z.boolean().default(false).describe('Redirect every HTTP port to HTTPS (Gateway server tls.httpsRedirect, docs 2.8.5).'),
  external: z.array(ExternalService).default([]).describe('External services reached through this gateway; egress gateways only.'),
};

const Destination = z.strictObject({
  host: DnsSubdomain.describe('Service that receives the traffic.'),
  port: Port.describe('Port of that Service.'),
  subset: z.string().min(1).optional().describe('DestinationRule subset, e.g. v2.'),
  weight: z.number().int().min(0).max(100).optional().describe('Share of the traffic in percent; the weights of a route add up to 100.'),
});

/** Spread into GatewayRoute (../schema.ts): everything an Istio route can do besides one prefix to one destination. */
export const RouteExtras = {
  port: Port.optional().describe('Gateway port this route binds to; its protocol decides an HTTP, TCP or TLS route. Default: HTTP on every port.'),
  exact: z.string().startsWith('/').optional().describe('Match this exact URI path instead of prefix.'),
  method: z.string().min(1).optional().describe('Match this HTTP method only, e.g. GET.'),
  matchHeaders: z.record(z.string().min(1), StringMatch).optional().describe('Match requests whose headers match, e.g. end-user: {exact: jason}.'),
  destinations: z.array(Destination).min(1).optional().describe('Split the traffic between destinations by weight (instead of destination).'),
  timeout: Duration.optional().describe('Request timeout.'),
  retries: z
    .strictObject({
      attempts: z.number().int().min(0).describe('Retries per request.'),
      perTryTimeout: Duration.optional().describe('Timeout of each try.'),
      retryOn: z.string().min(1).optional().describe('Conditions to retry on, e.g. 5xx,connect-failure.'),
    })
    .optional()
    .describe('Retry policy (docs 2.5.6.4 HTTP Retry Template).'),
  rewrite: z
    .strictObject({
      uri: z.string().min(1).optional().describe('Replace the matched path prefix with this.'),
      authority: z.string().min(1).optional().describe('Replace the Host/Authority header.'),
    })
    .optional()
    .describe('Rewrite the request before forwarding it.'),
  redirect: z
    .strictObject({
      uri: z.string().min(1).optional().describe('Replace the whole path with this.'),
      authority: z.string().min(1).optional().describe('Replace the host.'),
      redirectCode: z.number().int().min(300).max(399).optional().describe('HTTP status of the redirect. Default 301.'),
    })
    .optional()
    .describe('Answer with a redirect instead of forwarding (no destination then).'),
  mirror: z
    .strictObject({
      host: DnsSubdomain.describe('Service that receives a copy of the traffic.'),
      port: Port.optional().describe('Port of that Service.'),
      percentage: Percent.optional().describe('Share of the requests mirrored. Default: all.'),
    })
    .optional()
    .describe('Mirror the traffic to another service.'),
  fault: z
    .strictObject({
      delay: z
        .strictObject({ fixedDelay: Duration.describe('Delay added.'), percentage: Percent.describe('Share of the requests delayed.') })
        .optional()
        .describe('Inject a delay.'),
      abort: z
        .strictObject({
          httpStatus: z.number().int().min(200).max(599).describe('Status returned.'),
          percentage: Percent.describe('Share of the requests aborted.'),
        })
        .optional()
        .describe('Abort requests.'),
    })
    .optional()
    .describe('Fault injection for testing resilience.'),
  headers: z.strictObject({ request: HeaderOps.optional(), response: HeaderOps.optional() }).optional().describe('Change request and response headers.'),
  corsPolicy: z
    .strictObject({
      allowOrigins: z.array(StringMatch).min(1).describe('Origins allowed.'),
      allowMethods: z.array(z.string().min(1)).optional().describe('Methods allowed.'),
      allowHeaders: z.array(z.string().min(1)).optional().describe('Request headers allowed.'),
      exposeHeaders: z.array(z.string().min(1)).optional().describe('Response headers browsers may read.'),
      maxAge: Duration.optional().describe('How long preflight results are cached.'),
      allowCredentials: z.boolean().optional().describe('Whether credentials are allowed.'),
    })
    .optional()
    .describe('CORS policy.'),
  sniHosts: z.array(IstioHost).min(1).optional().describe('TLS routes: SNI names matched. Default: hosts.'),
};

export type RouteKind = 'http' | 'tcp' | 'tls';

/**
 * The Istio route section a route belongs to, from the protocol of the port it binds: TLS that the
 * gateway passes through is routed by SNI (tls), other TCP and TLS by port (tcp), the rest is HTTP.
 */
export function routeKind(gw: Pick<Gateway, 'ports'>, port: number | undefined): RouteKind {
  const p = port === undefined ? undefined : gw.ports.find((x) => x.port === port);
  if (!p) return 'http';
  if (p.tls?.mode === 'PASSTHROUGH') return 'tls';
  return p.protocol === 'TCP' || p.protocol === 'TLS' ? 'tcp' : 'http';
}

/** The HTTPS ports that get a Let's Encrypt certificate. */
export const acmePorts = (ports: Gateway['ports']) => ports.filter((p) => p.protocol === 'HTTPS' && p.tls?.mode === 'SIMPLE');

const HTTP_ONLY = ['exact', 'method', 'matchHeaders', 'timeout', 'retries', 'rewrite', 'redirect', 'mirror', 'fault', 'headers', 'corsPolicy'] as const;

/** Cross-field rules of the day-2 gateway settings; `issue(path, message)` reports below the gateway. */
export function checkGateway(gw: Gateway, issue: (path: PropertyKey[], message: string) => void): void {
  const r = gw.replicas;
  if (r?.min !== undefined && r.max !== undefined && r.min > r.max) issue(['replicas', 'min'], 'must not exceed replicas.max');
  if (r?.count !== undefined && ((r.min !== undefined && r.count < r.min) || (r.max !== undefined && r.count > r.max)))
    issue(['replicas', 'count'], 'must lie between replicas.min and replicas.max');

  const http = gw.ports.filter((p) => p.protocol === 'HTTP');
  if (gw.httpsRedirect && (http.length === 0 || !gw.ports.some((p) => p.protocol === 'HTTPS')))
    issue(['httpsRedirect'], 'needs an HTTP port to redirect and an HTTPS port to redirect to');
  if (gw.letsEncrypt) {
    if (gw.serviceType !== 'LoadBalancer')
      issue(['letsEncrypt'], 'needs serviceType LoadBalancer: its address answers the ACME HTTP-01 challenge (docs 2.8.5)');
    if (!http.some((p) => p.port === 80)) issue(['letsEncrypt'], 'needs an HTTP port 80 for the ACME HTTP-01 challenge (docs 2.8.5)');
    const ports = acmePorts(gw.ports);
    if (ports.length === 0) issue(['letsEncrypt'], 'needs an HTTPS port with tls.mode SIMPLE to put the certificate on');
    for (const p of ports) {
      const i = gw.ports.indexOf(p);
      if (!p.tls?.credentialName)
        issue(['ports', i, 'tls', 'credentialName'], 'names the Secret cert-manager writes the certificate to; set it (e.g. my-app-tls)');
      if (p.hosts.some((h) => h.includes('*'))) issue(['ports', i, 'hosts'], "a Let's Encrypt certificate needs concrete DNS names, not wildcards");
    }
    if (gw.httpsRedirect && http.some((p) => !p.hosts.includes('*'))) {
      issue(
        ['httpsRedirect'],
        'with named hosts on the HTTP port the ACME challenge is redirected and fails (docs 2.8.5 known limitations); use hosts ["*"] on the HTTP port or drop httpsRedirect',
      );
    }
  }

  if (gw.external.length > 0 && gw.type !== 'egress') issue(['external'], 'external services go through an egress gateway; set type: egress');
  gw.external.forEach((e, i) => {
    const p = gw.ports.find((x) => x.port === e.gatewayPort);
    if (!p) return issue(['external', i, 'gatewayPort'], `is not a port of this gateway (${gw.ports.map((x) => x.port).join(', ')})`);
    const wanted = e.protocol === 'HTTP' ? routeKind(gw, p.port) === 'http' : routeKind(gw, p.port) === 'tls';
    if (!wanted)
      issue(
        ['external', i, 'gatewayPort'],
        `port ${p.port} must be ${e.protocol === 'HTTP' ? 'an HTTP port' : 'a TLS port with tls.mode PASSTHROUGH'} for ${e.protocol} traffic`,
      );
    if (!p.hosts.includes('*') && !p.hosts.includes(e.host))
      issue(['external', i, 'host'], `port ${p.port} does not serve ${e.host}; add it to that port's hosts`);
  });

  const onlyTcp = gw.ports.every((p) => routeKind(gw, p.port) !== 'http');
  gw.routes.forEach((route, i) => {
    const at = (...rest: PropertyKey[]) => ['routes', i, ...rest];
    const port = route.port;
    if (port !== undefined && !gw.ports.some((p) => p.port === port))
      return issue(at('port'), `is not a port of this gateway (${gw.ports.map((p) => p.port).join(', ')})`);
    if (port === undefined && onlyTcp)
      return issue(at('port'), 'every port of this gateway is TCP or TLS, so an HTTP route never matches; set the port this route serves');
    const kind = routeKind(gw, port);
    const targets = [route.destination, route.destinations, route.redirect].filter((x) => x !== undefined).length;
    if (kind === 'http' ? targets !== 1 : targets !== 1 || route.redirect !== undefined) {
      issue(
        at(),
        kind === 'http'
          ? 'needs exactly one of destination, destinations or redirect'
          : `a ${kind.toUpperCase()} route needs exactly one of destination or destinations`,
      );
    }
    if (kind !== 'http') {
      for (const f of HTTP_ONLY) if (route[f] !== undefined) issue(at(f), `is HTTP only; port ${port} carries ${kind.toUpperCase()}`);
    }
    if (route.sniHosts !== undefined && kind !== 'tls') issue(at('sniHosts'), 'applies to TLS passthrough routes only');
    if (route.redirect !== undefined && route.rewrite !== undefined)
      issue(at('rewrite'), 'a redirect is answered by the gateway; nothing is forwarded to rewrite');
    const dests = route.destinations;
    if (dests && dests.length > 1) {
      const sum = dests.reduce((s, d) => s + (d.weight ?? 0), 0);
      if (dests.some((d) => d.weight === undefined) || sum !== 100)
        issue(at('destinations'), `weights must be set on each destination and add up to 100 (now ${sum})`);
    }
  });
}
