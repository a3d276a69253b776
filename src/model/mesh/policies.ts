/**
 * Traffic and security policies (docs 2.7.2, 2.11.3, 2.5.9): mesh-wide and per-namespace mTLS,
 * DestinationRules, AuthorizationPolicies, Sidecars, ServiceEntries and the mesh's outbound
 * traffic policy. The `policies:` section of the Fleet; rendered as the mesh-policies application.
 */
import { z } from 'zod';
import { DnsLabel, DnsSubdomain, IstioHost } from '../names.js';

const Port = z.number().int().min(1).max(65535);
const Duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'must be a duration such as 250ms, 5s or 1m');
const MatchLabels = z.record(z.string().min(1), z.string()).describe('Pod labels that select the workloads (selector.matchLabels).');
const Clusters = z.array(DnsLabel).min(1).optional().describe('Clusters that get this object. Default: every cluster.');
const Name = DnsSubdomain.describe('Object name.');
const Namespace = DnsLabel.describe('Namespace of the object.');
const MtlsMode = z
  .enum(['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'])
  .describe('STRICT: mutual TLS only; PERMISSIVE: plaintext too; DISABLE: plaintext only (docs 2.11.3).');
const Strings = (what: string) => z.array(z.string().min(1)).min(1).optional().describe(what);

export const PeerAuthentication = z.strictObject({
  name: Name,
  namespace: Namespace,
  clusters: Clusters,
  selector: MatchLabels.optional(),
  mtls: MtlsMode,
  portLevelMtls: z.record(z.string().regex(/^\d+$/, 'must be a port number'), MtlsMode).optional().describe('Per-port mTLS mode, keyed by port number.'),
});

const TrafficPolicy = z
  .strictObject({
    connectionPool: z
      .strictObject({
        tcp: z
          .strictObject({
            maxConnections: z.number().int().min(1).optional().describe('Most connections to one host.'),
            connectTimeout: Duration.optional().describe('TCP connect timeout.'),
          })
          .optional()
          .describe('TCP connection pool.'),
        http: z
          .strictObject({
            http1MaxPendingRequests: z.number().int().min(1).optional().describe('Most requests waiting for a connection.'),
            http2MaxRequests: z.number().int().min(1).optional().describe('Most concurrent requests to a backend.'),
            maxRequestsPerConnection: z.number().int().min(0).optional().describe('Requests per connection before it is closed; 1 disables keep-alive.'),
            maxRetries: z.number().int().min(0).optional().describe('Most outstanding retries.'),
          })
          .optional()
          .describe('HTTP connection pool.'),
      })
      .optional()
      .describe('Connection pool limits: circuit breaking (docs 2.7.2.1).'),
    outlierDetection: z
      .strictObject({
        consecutive5xxErrors: z.number().int().min(0).optional().describe('5xx answers before a host is ejected.'),
        consecutiveGatewayErrors: z.number().int().min(0).optional().describe('502/503/504 answers before a host is ejected.'),
        interval: Duration.optional().describe('Time between ejection sweeps.'),
        baseEjectionTime: Duration.optional().describe('Minimum ejection time.'),
        maxEjectionPercent: z.number().int().min(0).max(100).optional().describe('Most hosts ejected at once, in percent.'),
      })
      .optional()
      .describe('Eject unhealthy hosts from the load-balancing pool (docs 2.7.2.1).'),
    loadBalancer: z
      .strictObject({ simple: z.enum(['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH']).describe('Load-balancing algorithm.') })
      .optional()
      .describe('Load balancing.'),
    tls: z
      .strictObject({
        mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']).describe('Client TLS mode towards the host.'),
        sni: z.string().min(1).optional().describe('SNI sent to the host.'),
        credentialName: DnsSubdomain.optional().describe('Secret with the client certificate (MUTUAL).'),
      })
      .optional()
      .describe('TLS towards the host.'),
  })
  .describe('Istio trafficPolicy.');

export const DestinationRule = z.strictObject({
  name: Name,
  namespace: Namespace,
  clusters: Clusters,
  host: IstioHost.describe('Service the rule applies to, e.g. catalog.smm-demo.svc.cluster.local.'),
  trafficPolicy: TrafficPolicy.optional(),
  subsets: z
    .array(
      z.strictObject({
        name: DnsLabel.describe('Subset name routes refer to, e.g. v1.'),
        labels: z.record(z.string().min(1), z.string()).describe('Pod labels of the subset, e.g. version: v1.'),
        trafficPolicy: TrafficPolicy.optional(),
      }),
    )
    .optional()
    .describe('Named versions of the service.'),
});

const Rule = z.strictObject({
  from: z
    .array(
      z.strictObject({
        principals: Strings('Source identities, e.g. cluster.local/ns/smm-demo/sa/frontpage.'),
        namespaces: Strings('Source namespaces.'),
        ipBlocks: Strings('Source IP blocks (CIDR).'),
        notNamespaces: Strings('Source namespaces excluded.'),
      }),
    )
    .optional()
    .describe('Sources (any of).'),
  to: z
    .array(
      z.strictObject({
        methods: Strings('HTTP methods.'),
        paths: Strings('HTTP paths.'),
        ports: Strings('Destination ports, as strings.'),
        hosts: Strings('Destination hosts.'),
      }),
    )
    .optional()
    .describe('Operations (any of).'),
  when: z
    .array(
      z.strictObject({
        key: z.string().min(1).describe('Istio attribute, e.g. request.headers[version].'),
        values: z.array(z.string()).min(1).describe('Values that match.'),
      }),
    )
    .optional()
    .describe('Extra conditions (all of).'),
});

export const AuthorizationPolicy = z.strictObject({
  name: Name,
  namespace: Namespace,
  clusters: Clusters,
  selector: MatchLabels.optional(),
  action: z.enum(['ALLOW', 'DENY', 'AUDIT']).default('ALLOW').describe('What a matching request gets.'),
  rules: z.array(Rule).default([]).describe('Requests that match; none with ALLOW denies every request.'),
});

export const Sidecar = z.strictObject({
  name: Name,
  namespace: Namespace,
  clusters: Clusters,
  selector: MatchLabels.optional(),
  egressHosts: z
    .array(
      z
        .string()
        .regex(
          /^(\*|\.|~|[a-z0-9-]+)\/(\*|(\*\.)?[a-z0-9.-]+)$/,
          'must be namespace/host, e.g. ./*, istio-system/* or smm-demo/notifications.smm-demo.svc.cluster.local',
        ),
    )
    .min(1)
    .describe("The only outbound destinations the workloads' proxies learn about, as namespace/host (docs 2.7.2.6)."),
  outboundTrafficPolicy: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY']).optional().describe("Outbound policy of these workloads, overriding the mesh's."),
});

export const ServiceEntry = z.strictObject({
  name: Name,
  namespace: Namespace,
  clusters: Clusters,
  hosts: z.array(IstioHost).min(1).describe('Host names of the service, e.g. httpbin.org.'),
  ports: z
    .array(
      z.strictObject({
        number: Port.describe('Port number.'),
        name: z.string().min(1).describe('Port name.'),
        protocol: z.enum(['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'TCP', 'TLS', 'MONGO']).describe('Protocol.'),
      }),
    )
    .min(1)
    .describe('Ports of the service.'),
  location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).default('MESH_EXTERNAL').describe("Outside the mesh (the docs' case) or part of it."),
  resolution: z.enum(['DNS', 'STATIC', 'NONE', 'DNS_ROUND_ROBIN']).default('DNS').describe('How the proxies find the endpoints.'),
});

export const Policies = z
  .strictObject({
    mtls: MtlsMode.optional().describe('Mesh-wide mTLS: a PeerAuthentication named default in the Istio namespace (docs 2.11.3).'),
    outboundTrafficPolicy: z
      .enum(['ALLOW_ANY', 'REGISTRY_ONLY'])
      .optional()
      .describe(
        'REGISTRY_ONLY: sidecars reach only services in the registry (ServiceEntries for external ones); smm istio outbound-traffic-policy restricted (docs 2.7.2.2).',
      ),
    peerAuthentications: z.array(PeerAuthentication).default([]).describe('mTLS per namespace (no selector) or per workload.'),
    destinationRules: z.array(DestinationRule).default([]).describe('Circuit breaking, outlier detection, subsets and TLS per service (docs 2.7.2.1).'),
    authorizationPolicies: z.array(AuthorizationPolicy).default([]).describe('Which requests workloads accept.'),
    sidecars: z.array(Sidecar).default([]).describe('Outbound restrictions of workloads or namespaces (docs 2.7.2.6).'),
    serviceEntries: z.array(ServiceEntry).default([]).describe('External services added to the mesh registry (docs 2.7.2.2).'),
  })
  .describe('Traffic and security policies, rendered as the mesh-policies application on each cluster.');
export type Policies = z.infer<typeof Policies>;

/** Every namespaced policy object of the section, with its kind, for rendering and checks. */
export const POLICY_LISTS = ['peerAuthentications', 'destinationRules', 'authorizationPolicies', 'sidecars', 'serviceEntries'] as const;

/** Cross-field rules; `issue(path, message)` reports below `policies`. */
export function checkPolicies(p: Policies, clusters: Set<string>, issue: (path: PropertyKey[], message: string) => void): void {
  for (const list of POLICY_LISTS) {
    const seen = new Set<string>();
    p[list].forEach((o, i) => {
      const key = `${o.namespace}/${o.name}`;
      if (seen.has(key)) issue([list, i, 'name'], `${key} is listed twice`);
      seen.add(key);
      o.clusters?.forEach((c, j) => {
        if (!clusters.has(c)) issue([list, i, 'clusters', j], `unknown cluster "${c}"; clusters are: ${[...clusters].join(', ')}`);
      });
    });
  }
  p.authorizationPolicies.forEach((a, i) => {
    if (a.action !== 'ALLOW' && a.rules.length === 0) issue(['authorizationPolicies', i, 'rules'], `${a.action} without rules matches nothing; add rules`);
  });
  p.destinationRules.forEach((d, i) => {
    const names = new Set<string>();
    d.subsets?.forEach((s, j) => {
      if (names.has(s.name)) issue(['destinationRules', i, 'subsets', j, 'name'], `subset ${s.name} is listed twice`);
      names.add(s.name);
    });
  });
}
