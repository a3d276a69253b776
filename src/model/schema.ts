/**
 * The calisti.yaml model: one typed description of a Calisti fleet. Strict on purpose: an unknown
 * key is an error (a typo must not be dropped silently), and every cross-field rule is checked here
 * so the renderer can trust what it gets.
 */
import { z } from 'zod';
import { blueprintFor, defaultRevision, knownVersions, revisionName } from './blueprint.js';

export const API_VERSION = 'calisti-gitops.io/v1alpha1';
export const KIND = 'Fleet';

/** The demo application's services (docs 2.3.6: `enabledComponents`). */
export const DEMO_COMPONENTS = [
  'frontpage',
  'catalog',
  'bookings',
  'postgresql',
  'payments',
  'notifications',
  'movies',
  'analytics',
  'database',
  'mysql',
] as const;

/** Namespaces the Calisti control plane owns; user gateways must not live in them. */
export const RESERVED_NAMESPACES = ['cert-manager', 'cluster-registry', 'smm-system', 'smm-registry-access', 'kube-system'];

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const Label = z
  .string()
  .max(63, 'must be at most 63 characters (RFC 1123 label)')
  .regex(RFC1123_LABEL, 'must be an RFC 1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit');

const Revision = z.string().regex(/^cp-v\d+x$/, 'must be an Istio revision name like cp-v115x');
const PortName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lowercase letters, digits and "-"').max(15);
const Port = z.number().int().min(1).max(65535);
const SpecPatch = z.record(z.string(), z.unknown());

export const Cluster = z.strictObject({
  name: Label.describe('Cluster name as registered in Argo CD; also the ControlPlane clusterName.'),
  role: z.enum(['active', 'passive']).default('active').describe('active: runs an Istio control plane and every Calisti component; passive: a reduced set, attached to an active cluster.'),
  network: Label.optional().describe('Istio network name; clusters on one network reach each other directly. Default: the cluster name.'),
  apiServerEndpointAddress: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL reachable from the other clusters' })
    .optional()
    .describe('Public Kubernetes API server address, when the one in kubeconfig is private (smm-operator chart apiServerEndpointAddress).'),
  platform: z.enum(['kubernetes', 'openshift']).default('kubernetes'),
  dashboard: z
    .strictObject({
      expose: z.boolean().default(false).describe('Expose the dashboard through the mesh gateway (spec.smm.exposeDashboard).'),
      anonymous: z.boolean().default(false).describe('Anonymous dashboard access (auth.mode anonymous); for demos only.'),
    })
    .prefault({}),
  overrides: z
    .strictObject({
      controlPlane: SpecPatch.optional().describe('Merged into this cluster\'s ControlPlane spec (strategic merge).'),
      istioControlPlane: SpecPatch.optional().describe('Merged into this cluster\'s IstioControlPlane spec (strategic merge).'),
    })
    .optional(),
});
export type Cluster = z.infer<typeof Cluster>;

export const GatewayPort = z.strictObject({
  name: PortName,
  port: Port.describe('Service port, and the port of the Istio Gateway server.'),
  targetPort: Port.optional().describe('Container port. Default: port. Below 1024 needs runAsRoot.'),
  protocol: z.enum(['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'TCP', 'TLS']).default('HTTP'),
  hosts: z.array(z.string().min(1)).min(1).default(['*']),
  tls: z
    .strictObject({
      mode: z.enum(['SIMPLE', 'MUTUAL', 'PASSTHROUGH', 'ISTIO_MUTUAL']),
      credentialName: z.string().min(1).optional(),
    })
    .optional(),
});

export const GatewayRoute = z.strictObject({
  hosts: z.array(z.string().min(1)).min(1).default(['*']),
  prefix: z.string().startsWith('/').default('/'),
  destination: z.strictObject({ host: z.string().min(1), port: Port }),
});

export const Gateway = z.strictObject({
  name: Label,
  namespace: Label,
  type: z.enum(['ingress', 'egress']).default('ingress'),
  clusters: z.array(Label).min(1).describe('Clusters that run this gateway.'),
  serviceType: z.enum(['LoadBalancer', 'ClusterIP', 'NodePort']).default('LoadBalancer'),
  runAsRoot: z.boolean().default(false),
  ports: z.array(GatewayPort).min(1),
  routes: z.array(GatewayRoute).default([]).describe('Each route becomes one VirtualService bound to this gateway.'),
  revision: Revision.optional().describe('Istio control plane this gateway runs on. Default: the release\'s control plane.'),
});
export type Gateway = z.infer<typeof Gateway>;

export const DemoPlacement = z.strictObject({
  cluster: Label,
  components: z.array(z.enum(DEMO_COMPONENTS)).min(1),
  load: z.boolean().optional().describe('Run the load generator here. Default: where frontpage runs.'),
  istioResources: z.boolean().optional().describe('deployIstioResources. Default: where frontpage runs.'),
  sloResources: z.boolean().optional().describe('deploySLOResources. Default: where frontpage runs.'),
});

const Quantity = z.union([z.string().regex(/^[0-9.]+[a-zA-Z]*$/, 'must be a Kubernetes quantity'), z.number()]);
const Resources = z.strictObject({ cpu: Quantity, memory: Quantity });

export const DemoApp = z.strictObject({
  namespace: Label.default('smm-demo'),
  replicas: z.number().int().min(0).default(1),
  autoscaling: z.boolean().default(true),
  resources: z
    .strictObject({ limits: Resources, requests: Resources })
    .default({ limits: { cpu: '2', memory: '192Mi' }, requests: { cpu: '40m', memory: '64Mi' } }),
  load: z
    .strictObject({
      minRPS: z.number().int().min(0).default(10),
      maxRPS: z.number().int().min(0).default(30),
      swingPeriod: z.number().int().min(0).default(1380000000000),
    })
    .prefault({}),
  placement: z.array(DemoPlacement).min(1).describe('Which demo services run on which cluster.'),
  revision: Revision.optional().describe('Istio control plane of the demo namespace. Default: the release\'s control plane.'),
});
export type DemoApp = z.infer<typeof DemoApp>;

export const MeshNamespace = z.strictObject({
  name: Label,
  clusters: z.array(Label).min(1).optional().describe('Clusters that get this namespace. Default: every cluster.'),
  revision: Revision.optional().describe('Istio control plane its workloads use (istio.io/rev). Default: the release\'s control plane.'),
  labels: z.record(z.string(), z.string()).default({}),
});
export type MeshNamespace = z.infer<typeof MeshNamespace>;

const SyncPolicy = z.strictObject({
  automated: z
    .union([z.literal(false), z.strictObject({ prune: z.boolean().default(true), selfHeal: z.boolean().default(true) })])
    .default({ prune: true, selfHeal: true }),
  retry: z
    .strictObject({
      limit: z.number().int().min(0).default(5),
      backoff: z
        .strictObject({
          duration: z.string().default('5s'),
          maxDuration: z.string().default('3m0s'),
          factor: z.number().int().min(1).default(2),
        })
        .prefault({}),
    })
    .prefault({}),
});

export function fleetSchema() {
  const versions = knownVersions() as [string, ...string[]];
  return z
    .strictObject({
      apiVersion: z.literal(API_VERSION),
      kind: z.literal(KIND),
      calisti: z.strictObject({
        version: z.enum(versions, { error: () => `unknown Calisti version; supported: ${versions.join(', ')}` }),
        chart: z
          .enum(['oci', 'vendored'])
          .default('oci')
          .describe('oci: Argo CD pulls the smm-operator chart from the registry; vendored: the chart is checked into charts/smm-operator.'),
      }),
      git: z.strictObject({
        repoURL: z
          .string()
          .regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, 'must be an https://, ssh:// or git@ URL of the calisti-gitops repository'),
        targetRevision: z.string().min(1).default('HEAD'),
      }),
      argocd: z
        .strictObject({
          namespace: Label.default('argocd'),
          project: z.string().min(1).default('default'),
          syncPolicy: SyncPolicy.prefault({}),
        })
        .prefault({}),
      istio: z
        .strictObject({
          meshID: Label.default('mesh1'),
          namespace: Label.default('istio-system'),
          revisions: z
            .array(Revision)
            .default([])
            .describe('Older control planes kept next to the release\'s own while namespaces move over (canary upgrade, docs 2.4.7).'),
        })
        .prefault({}),
      clusters: z.array(Cluster).min(1),
      gateways: z.array(Gateway).default([]),
      namespaces: z.array(MeshNamespace).default([]).describe('Workload namespaces in the mesh, managed here so upgrades can move them between control planes.'),
      demoApp: DemoApp.optional(),
      ci: z
        .strictObject({ github: z.boolean().default(true).describe('Write .github/workflows/calisti-gitops.yaml and .pre-commit-hooks.yaml.') })
        .prefault({})
        .describe('CI files in the generated repo.'),
    })
    .superRefine((fleet, ctx) => {
      const bp = blueprintFor(fleet.calisti.version);
      const shipped = new Map(bp.istio.versions.map((v) => [revisionName(v.version), v.version]));
      const primary = defaultRevision(bp);
      fleet.istio.revisions.forEach((r, i) => {
        if (r === primary) ctx.addIssue({ code: 'custom', path: ['istio', 'revisions', i], message: `${r} is Calisti ${bp.calisti}'s own control plane; list only older ones` });
        else if (!shipped.has(r)) ctx.addIssue({ code: 'custom', path: ['istio', 'revisions', i], message: `Calisti ${bp.calisti} ships no ${r}; it runs ${[...shipped.keys()].join(', ')}` });
      });
      const running = new Set([primary, ...fleet.istio.revisions]);
      const checkRevision = (r: string | undefined, path: PropertyKey[]) => {
        if (r !== undefined && !running.has(r)) ctx.addIssue({ code: 'custom', path, message: `control plane ${r} is not running; running: ${[...running].join(', ')} (add it to istio.revisions)` });
      };
      fleet.gateways.forEach((g, i) => checkRevision(g.revision, ['gateways', i, 'revision']));
      fleet.namespaces.forEach((n, i) => checkRevision(n.revision, ['namespaces', i, 'revision']));
      if (fleet.demoApp) checkRevision(fleet.demoApp.revision, ['demoApp', 'revision']);
      const names = new Set<string>();
      fleet.clusters.forEach((c, i) => {
        if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['clusters', i, 'name'], message: `duplicate cluster name "${c.name}"` });
        names.add(c.name);
        if (c.overrides?.controlPlane && 'clusterName' in c.overrides.controlPlane) {
          ctx.addIssue({ code: 'custom', path: ['clusters', i, 'overrides', 'controlPlane', 'clusterName'], message: 'is set from clusters[].name; remove it here' });
        }
        if (c.overrides?.istioControlPlane && 'networkName' in c.overrides.istioControlPlane) {
          ctx.addIssue({ code: 'custom', path: ['clusters', i, 'overrides', 'istioControlPlane', 'networkName'], message: 'is set from clusters[].network; remove it here' });
        }
        if (c.role === 'passive' && (c.dashboard.expose || c.dashboard.anonymous)) {
          ctx.addIssue({ code: 'custom', path: ['clusters', i, 'dashboard'], message: 'a passive cluster runs no dashboard (smm.web is off); expose it on an active cluster' });
        }
      });
      if (!fleet.clusters.some((c) => c.role === 'active')) {
        ctx.addIssue({ code: 'custom', path: ['clusters'], message: 'a fleet needs at least one cluster with role: active (passive clusters attach to an active one)' });
      }
      const unknownCluster = (name: string, path: PropertyKey[]) => {
        if (!names.has(name)) ctx.addIssue({ code: 'custom', path, message: `unknown cluster "${name}"; clusters are: ${[...names].join(', ')}` });
      };
      const gwKeys = new Set<string>();
      fleet.gateways.forEach((g, i) => {
        const key = `${g.namespace}/${g.name}`;
        if (gwKeys.has(key)) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'name'], message: `duplicate gateway ${key}` });
        gwKeys.add(key);
        g.clusters.forEach((c, j) => unknownCluster(c, ['gateways', i, 'clusters', j]));
        if (RESERVED_NAMESPACES.includes(g.namespace) || g.namespace === fleet.istio.namespace) {
          ctx.addIssue({ code: 'custom', path: ['gateways', i, 'namespace'], message: `"${g.namespace}" belongs to the Calisti control plane; use a namespace of your own` });
        }
        if (fleet.demoApp && g.namespace === fleet.demoApp.namespace) {
          ctx.addIssue({ code: 'custom', path: ['gateways', i, 'namespace'], message: `"${g.namespace}" is the demo app's namespace, which the demo-app application owns; use a namespace of its own` });
        }
        const ports = new Set<number>();
        g.ports.forEach((p, j) => {
          if (ports.has(p.port)) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'ports', j, 'port'], message: `port ${p.port} is used twice` });
          ports.add(p.port);
          if ((p.targetPort ?? p.port) < 1024 && !g.runAsRoot) {
            ctx.addIssue({ code: 'custom', path: ['gateways', i, 'ports', j, p.targetPort === undefined ? 'port' : 'targetPort'], message: 'a gateway that does not run as root cannot listen below 1024; set targetPort (e.g. 8080) or runAsRoot: true' });
          }
          const needsTls = p.protocol === 'HTTPS' || p.protocol === 'TLS';
          if (needsTls && !p.tls) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'ports', j, 'tls'], message: `protocol ${p.protocol} needs tls.mode` });
          if (p.tls && !needsTls) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'ports', j, 'tls'], message: `tls is only valid with protocol HTTPS or TLS, not ${p.protocol}` });
        });
      });
      const owned = new Set([...RESERVED_NAMESPACES, fleet.istio.namespace, ...fleet.gateways.map((g) => g.namespace), ...(fleet.demoApp ? [fleet.demoApp.namespace] : [])]);
      const listed = new Set<string>();
      fleet.namespaces.forEach((n, i) => {
        if (owned.has(n.name)) ctx.addIssue({ code: 'custom', path: ['namespaces', i, 'name'], message: `"${n.name}" is already managed (control plane, gateway or demo app namespace)` });
        if (listed.has(n.name)) ctx.addIssue({ code: 'custom', path: ['namespaces', i, 'name'], message: `namespace "${n.name}" is listed twice` });
        listed.add(n.name);
        n.clusters?.forEach((c, j) => unknownCluster(c, ['namespaces', i, 'clusters', j]));
        if ('istio.io/rev' in n.labels) ctx.addIssue({ code: 'custom', path: ['namespaces', i, 'labels', 'istio.io/rev'], message: 'is set from revision; use revision: instead' });
      });
      if (fleet.demoApp) {
        const placed = new Set<string>();
        fleet.demoApp.placement.forEach((p, i) => {
          unknownCluster(p.cluster, ['demoApp', 'placement', i, 'cluster']);
          if (placed.has(p.cluster)) ctx.addIssue({ code: 'custom', path: ['demoApp', 'placement', i, 'cluster'], message: `cluster "${p.cluster}" is placed twice; list all its components in one entry` });
          placed.add(p.cluster);
          const seen = new Set<string>();
          p.components.forEach((c, j) => {
            if (seen.has(c)) ctx.addIssue({ code: 'custom', path: ['demoApp', 'placement', i, 'components', j], message: `component "${c}" is listed twice` });
            seen.add(c);
          });
        });
        if (fleet.demoApp.load.minRPS > fleet.demoApp.load.maxRPS) {
          ctx.addIssue({ code: 'custom', path: ['demoApp', 'load', 'minRPS'], message: 'must not exceed maxRPS' });
        }
      }
    });
}

export type Fleet = z.infer<ReturnType<typeof fleetSchema>>;
/** The model as written, before defaults: what tools that edit calisti.yaml produce. */
export type FleetInput = z.input<ReturnType<typeof fleetSchema>>;
