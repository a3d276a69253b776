/**
 * The calisti.yaml model: one typed description of a Calisti fleet. Strict on purpose: an unknown
 * key is an error (a typo must not be dropped silently), and every cross-field rule is checked here
 * so the renderer can trust what it gets.
 */
import { z } from 'zod';
import { ArgoCdExtras, ClusterArgoCd } from './argocd.js';
import { README, README_BESIDE } from '../render/layout.js';
import { SealedSecrets } from './bootstrap.js';
import { checkRings, Ring, versionsInUse } from './rings.js';
import { checkRevisions, ClusterRevisions, Revision } from './revisions.js';
import { checkUpgrade } from '../upgrade/path.js';
import { blueprintFor, defaultRevision, knownVersions, revisionName } from './blueprint.js';
import { resourceCredentials } from '../secrets/detect.js';
import { checkDashboard, DashboardExtras } from './mesh/dashboard.js';
import { Monitoring } from './mesh/monitoring.js';
import { checkGateway, GatewayExtras, RouteExtras } from './mesh/gateways.js';
import { checkPolicies, Policies } from './mesh/policies.js';
import { checkSlos, Slos } from './mesh/slo.js';
import { RepoFolder } from './names.js';
import { ApiServerUrl, ArgoDuration, DnsLabel, DnsSubdomain, GitRevision, IstioHost, Labels, PathPrefix, Quantity } from './names.js';

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

/**
 * Namespaces a fleet must not put its own things in. Kubernetes keeps `kube-*` and OpenShift
 * `openshift-*`; the Calisti docs install their components into the four below (2.3.5-2.3.7).
 */
export const KUBERNETES_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];
export const SYSTEM_NAMESPACE_PREFIXES = ['kube-', 'openshift-'];
export const CALISTI_NAMESPACES = ['cert-manager', 'cluster-registry', 'smm-system', 'smm-registry-access'];

/** The namespace label `cp-v115x.<istio namespace>` is a label value too. */
export const MAX_ISTIO_NAMESPACE = 63 - 'cp-v115x.'.length;

const Label = DnsLabel;
const PortName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lowercase letters, digits and "-"')
  .max(15);
const Port = z.number().int().min(1).max(65535);
const SpecPatch = z.record(z.string(), z.unknown());

export const Cluster = z.strictObject({
  name: Label.describe(
    'Cluster name as registered in Argo CD; also the ControlPlane clusterName. Its Applications are <app>-<name>, cut to 63 characters with a hash when longer.',
  ),
  role: z
    .enum(['active', 'passive'])
    .default('active')
    .describe('active: runs an Istio control plane and every Calisti component; passive: a reduced set, attached to an active cluster.'),
  network: Label.optional().describe('Istio network name; clusters on one network reach each other directly. Default: the cluster name.'),
  apiServerEndpointAddress: ApiServerUrl.optional().describe(
    'Public Kubernetes API server URL (https://host[:port]), when the one in kubeconfig is private (smm-operator chart apiServerEndpointAddress).',
  ),
  platform: z
    .enum(['kubernetes', 'openshift'])
    .default('kubernetes')
    .describe("openshift adds the docs' OpenShift settings (2.3.8): CNI, security context constraints, NetworkAttachmentDefinitions."),
  dashboard: z
    .strictObject({
      expose: z.boolean().default(false).describe('Expose the dashboard through the mesh gateway (spec.smm.exposeDashboard).'),
      anonymous: z.boolean().default(false).describe('Anonymous dashboard access (auth.mode anonymous); for demos only.'),
      ...DashboardExtras,
    })
    .prefault({})
    .describe('The Calisti dashboard on this cluster (docs 2.5.10).'),
  monitoring: Monitoring,
  overrides: z
    .strictObject({
      controlPlane: SpecPatch.optional().describe("Merged into this cluster's ControlPlane spec (strategic merge)."),
      istioControlPlane: SpecPatch.optional().describe("Merged into this cluster's IstioControlPlane spec (strategic merge)."),
      allowPatchDirectives: z
        .boolean()
        .default(false)
        .describe(
          'Allow strategic-merge directives ($patch, $retainKeys, $setElementOrder/..., $deleteFromPrimitiveList/...) in these overrides; they can delete or replace whole generated specs.',
        ),
    })
    .optional()
    .describe('Fields the model does not cover, merged into the generated resources of this cluster.'),
  argocd: ClusterArgoCd,
});
export type Cluster = z.infer<typeof Cluster>;

export const GatewayPort = z.strictObject({
  name: PortName.describe('Port name; Istio reads the protocol from its prefix (http-, tcp-, ...).'),
  port: Port.describe('Service port, and the port of the Istio Gateway server.'),
  targetPort: Port.optional().describe('Container port. Default: port. Below 1024 needs runAsRoot.'),
  protocol: z.enum(['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'TCP', 'TLS']).default('HTTP').describe('Protocol of the Istio Gateway server on this port.'),
  hosts: z.array(IstioHost).min(1).default(['*']).describe('Hosts this port serves (Istio Gateway server hosts): example.com, *.example.com or *.'),
  tls: z
    .strictObject({
      mode: z.enum(['SIMPLE', 'MUTUAL', 'PASSTHROUGH', 'ISTIO_MUTUAL']).describe('Istio server TLS mode.'),
      credentialName: DnsSubdomain.optional().describe('Secret in the gateway namespace holding the certificate and key.'),
    })
    .optional()
    .describe('TLS settings; required for protocol HTTPS and TLS.'),
});

export const GatewayRoute = z.strictObject({
  hosts: z.array(IstioHost).min(1).default(['*']).describe('Hosts this route matches (VirtualService hosts).'),
  prefix: PathPrefix.default('/').describe('URI prefix this route matches.'),
  destination: z
    .strictObject({
      host: DnsSubdomain.describe('Service that receives the traffic, e.g. frontpage.smm-demo.svc.cluster.local.'),
      port: Port.describe('Port of that Service.'),
    })
    .optional()
    .describe('Where matching requests go.'),
  ...RouteExtras,
});

export const Gateway = z.strictObject({
  name: Label.describe('Name of the IstioMeshGateway and of its Service.'),
  namespace: Label.describe('Namespace of the gateway; created and owned by this gateway (not a Kubernetes, Calisti, Argo CD or Istio namespace).'),
  type: z.enum(['ingress', 'egress']).default('ingress').describe('ingress: traffic into the mesh; egress: traffic out of it.'),
  clusters: z.array(Label).min(1).describe('Clusters that run this gateway.'),
  serviceType: z.enum(['LoadBalancer', 'ClusterIP', 'NodePort']).default('LoadBalancer').describe('Kubernetes Service type of the gateway.'),
  runAsRoot: z.boolean().default(false).describe('Run the gateway as root, needed to listen on ports below 1024.'),
  ports: z.array(GatewayPort).min(1).describe('Ports the gateway listens on.'),
  routes: z.array(GatewayRoute).default([]).describe('Each route becomes one VirtualService bound to this gateway.'),
  revision: Revision.optional().describe("Istio control plane this gateway runs on. Default: the release's control plane."),
  clusterRevisions: ClusterRevisions,
  ...GatewayExtras,
});
export type Gateway = z.infer<typeof Gateway>;

export const DemoPlacement = z.strictObject({
  cluster: Label.describe('Cluster that runs these demo services.'),
  components: z.array(z.enum(DEMO_COMPONENTS)).min(1).describe('Demo services that run on this cluster (enabledComponents, docs 2.3.6).'),
  load: z.boolean().optional().describe('Run the load generator here. Default: where frontpage runs.'),
  istioResources: z.boolean().optional().describe('deployIstioResources. Default: where frontpage runs.'),
  sloResources: z.boolean().optional().describe('deploySLOResources. Default: where frontpage runs.'),
});

const Resources = z.strictObject({
  cpu: Quantity.describe('CPU, e.g. 40m or 2.'),
  memory: Quantity.describe('Memory, e.g. 64Mi.'),
});

export const DemoApp = z.strictObject({
  namespace: Label.default('smm-demo').describe('Namespace of the demo application; owned by the demo-app application.'),
  replicas: z.number().int().min(0).default(1).describe('Replicas of each demo service.'),
  autoscaling: z.boolean().default(true).describe('Horizontal Pod Autoscalers for the demo services.'),
  resources: z
    .strictObject({
      limits: Resources.describe('Resource limits of each demo service.'),
      requests: Resources.describe('Resource requests of each demo service.'),
    })
    .default({ limits: { cpu: '2', memory: '192Mi' }, requests: { cpu: '40m', memory: '64Mi' } })
    .describe('Resources of each demo service (DemoApplication spec.resources).'),
  load: z
    .strictObject({
      minRPS: z.number().int().min(0).default(10).describe('Lowest requests per second of the load generator.'),
      maxRPS: z.number().int().min(0).default(30).describe('Highest requests per second of the load generator.'),
      swingPeriod: z.number().int().min(0).default(1380000000000).describe('Period of the swing between minRPS and maxRPS, in nanoseconds.'),
    })
    .prefault({})
    .describe('The load generator (DemoApplication spec.load).'),
  placement: z.array(DemoPlacement).min(1).describe('Which demo services run on which cluster.'),
  revision: Revision.optional().describe("Istio control plane of the demo namespace. Default: the release's control plane."),
  clusterRevisions: ClusterRevisions,
});
export type DemoApp = z.infer<typeof DemoApp>;

export const MeshNamespace = z.strictObject({
  name: Label.describe('Namespace name.'),
  clusters: z.array(Label).min(1).optional().describe('Clusters that get this namespace. Default: every cluster.'),
  revision: Revision.optional().describe("Istio control plane its workloads use (istio.io/rev). Default: the release's control plane."),
  clusterRevisions: ClusterRevisions,
  labels: Labels.default({}).describe('Other labels of the namespace (Kubernetes label keys and values).'),
});
export type MeshNamespace = z.infer<typeof MeshNamespace>;

const SyncPolicy = z.strictObject({
  automated: z
    .union([
      z.literal(false),
      z.strictObject({
        prune: z.boolean().default(true).describe('Delete resources the repo no longer has.'),
        selfHeal: z.boolean().default(true).describe('Undo changes made on the cluster.'),
      }),
    ])
    .default({ prune: true, selfHeal: true })
    .describe('Automated sync; false syncs only on request.'),
  retry: z
    .strictObject({
      limit: z.number().int().min(0).default(5).describe('Retries of a failed sync.'),
      backoff: z
        .strictObject({
          duration: ArgoDuration.default('5s').describe('First wait before a retry: seconds, or a duration such as 5s or 2m.'),
          maxDuration: ArgoDuration.default('3m0s').describe('Longest wait between retries: seconds, or a duration such as 3m0s.'),
          factor: z.number().int().min(1).default(2).describe('Each wait is the previous one times this.'),
        })
        .prefault({})
        .describe('Wait between retries.'),
    })
    .prefault({})
    .describe('Retries of failed syncs.'),
});

/** Keys of strategic-merge directives, which delete or reorder what they sit in. */
const isPatchDirective = (key: string) => key.startsWith('$');

/** Paths (relative to `value`) of every strategic-merge directive key in an override. */
export function patchDirectives(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => patchDirectives(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (isPatchDirective(k) ? [[...path, k]] : patchDirectives(v, [...path, k])));
}

type NamespaceUse = 'istio' | 'argocd' | 'demo' | 'gateway' | 'workload';

/**
 * Why `ns` cannot hold a fleet's `use`, or undefined. Istio, the demo app and gateways create and
 * prune their namespace, so they also stay out of `default`; workload namespaces only label theirs.
 */
function namespaceOwner(ns: string, use: NamespaceUse, fleet: { istio: { namespace: string }; argocd: { namespace: string } }): string | undefined {
  if (KUBERNETES_NAMESPACES.includes(ns) || SYSTEM_NAMESPACE_PREFIXES.some((p) => ns.startsWith(p)) || ns === 'openshift')
    return 'belongs to Kubernetes (or OpenShift)';
  if (CALISTI_NAMESPACES.includes(ns)) return 'belongs to the Calisti control plane';
  if (ns === 'default' && (use === 'istio' || use === 'demo' || use === 'gateway')) return 'is the default namespace, which this would own and prune';
  if (use !== 'argocd' && ns === fleet.argocd.namespace) return 'is the Argo CD namespace (argocd.namespace)';
  if (use !== 'istio' && use !== 'argocd' && ns === fleet.istio.namespace) return 'is the Istio control plane namespace (istio.namespace)';
  return undefined;
}

export function fleetSchema() {
  const versions = knownVersions() as [string, ...string[]];
  return z
    .strictObject({
      apiVersion: z.literal(API_VERSION).describe(`Model format version: ${API_VERSION}.`),
      kind: z.literal(KIND).describe(`Always ${KIND}.`),
      calisti: z
        .strictObject({
          version: z
            .enum(versions, { error: () => `unknown Calisti version; supported: ${versions.join(', ')}` })
            .describe('Calisti release the fleet runs; change it with calisti-gitops upgrade.'),
          chart: z
            .enum(['oci', 'vendored'])
            .default('oci')
            .describe('oci: Argo CD pulls the smm-operator chart from the registry; vendored: the chart is checked into charts/smm-operator.'),
        })
        .describe('The Calisti release.'),
      git: z
        .strictObject({
          repoURL: z
            .string()
            .regex(
              /^(https:\/\/|ssh:\/\/|git@)[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+$/,
              'must be an https://, ssh:// or git@ URL of the calisti-gitops repository, with no spaces, quotes, backticks or brackets',
            )
            // A user or token before the host (https://<token>@github.com/...) would be written in
            // clear into every Application; a password in an ssh:// URL too.
            .refine(
              (url) => !/^https:\/\/[^/?#]*@/i.test(url) && !/^ssh:\/\/[^/?#@]*:[^/?#@]*@/i.test(url),
              'must not hold credentials (a user, token or password before the host): they would sit in clear in git; Argo CD reads a private repository through a repository Secret, sealed by: calisti-gitops seal --target git-repository',
            )
            .describe('URL Argo CD clones this repository from.'),
          targetRevision: GitRevision.default('HEAD').describe('Branch, tag or commit Argo CD syncs.'),
          path: RepoFolder.optional().describe(
            'Folder of this tree inside the git repository (a monorepo); every Argo CD source path starts with it. Set by init --path.',
          ),
          private: z
            .boolean()
            .default(true)
            .describe(
              'Argo CD needs credentials to read it (the docs make it private): an https repoURL gets a repository Secret in bootstrap/, sealed by seal --target git-repository.',
            ),
        })
        .describe('Where Argo CD reads this repository.'),
      argocd: z
        .strictObject({
          namespace: Label.default('argocd').describe('Namespace Argo CD runs in on the management cluster.'),
          project: DnsSubdomain.default('default').describe(
            'Argo CD project of every generated Application; any other than default is generated as an AppProject.',
          ),
          syncPolicy: SyncPolicy.prefault({}).describe('Sync policy of every generated Application.'),
          ...ArgoCdExtras,
        })
        .prefault({})
        .describe('Argo CD settings.'),
      istio: z
        .strictObject({
          meshID: Label.default('mesh1').describe('Istio mesh ID shared by every cluster.'),
          namespace: Label.max(MAX_ISTIO_NAMESPACE, `must be at most ${MAX_ISTIO_NAMESPACE} characters: workloads are labelled cp-vNNNx.<namespace>`)
            .default('istio-system')
            .describe('Namespace of the Istio control planes.'),
          revisions: z
            .array(Revision)
            .default([])
            .describe("Older control planes kept next to the release's own while namespaces move over (canary upgrade, docs 2.4.7)."),
        })
        .prefault({})
        .describe('Istio settings.'),
      clusters: z.array(Cluster).min(1).describe('The clusters of the fleet, each registered in Argo CD under its name.'),
      rings: z
        .array(Ring(versions))
        .default([])
        .describe(
          'Clusters grouped in the order upgrades roll out (canary first): upgrade --ring <name> moves one ring to the next release, upgrade without --ring the rest.',
        ),
      gateways: z.array(Gateway).default([]).describe('Ingress and egress gateways (IstioMeshGateway, Gateway, VirtualServices).'),
      namespaces: z
        .array(MeshNamespace)
        .default([])
        .describe('Workload namespaces in the mesh, managed here so upgrades can move them between control planes.'),
      demoApp: DemoApp.optional().describe('The Calisti demo application (DemoApplication), placed across clusters.'),
      policies: Policies.prefault({}),
      slos: Slos.prefault({}),
      sealedSecrets: SealedSecrets.prefault({}),
      readme: z
        .enum([README, README_BESIDE])
        .default(README)
        .describe(`File of the generated README; ${README_BESIDE} when the repository keeps a README of its own (init sets it when it finds one).`),
      ci: z
        .strictObject({ github: z.boolean().default(true).describe('Write .github/workflows/calisti-gitops.yaml and .pre-commit-hooks.yaml.') })
        .prefault({})
        .describe('CI files in the generated repo.'),
    })
    .superRefine((fleet, ctx) => {
      const bp = blueprintFor(fleet.calisti.version);
      const primary = defaultRevision(bp);
      checkRings(
        fleet,
        (from, to) => {
          try {
            checkUpgrade(from, to);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
        (path, message) => ctx.addIssue({ code: 'custom', path, message }),
      );
      // Mid-rollout, every release in use runs the kept control planes next to its own.
      const inUse = versionsInUse(fleet).map(blueprintFor);
      if (inUse.length > 1 && fleet.calisti.chart === 'vendored') {
        ctx.addIssue({ code: 'custom', path: ['rings'], message: 'rings on another release need calisti.chart: oci (one vendored chart serves one release)' });
      }
      fleet.istio.revisions.forEach((r, i) => {
        if (inUse.length === 1 && r === primary)
          ctx.addIssue({ code: 'custom', path: ['istio', 'revisions', i], message: `${r} is Calisti ${bp.calisti}'s own control plane; list only older ones` });
        for (const b of inUse) {
          const shipped = b.istio.versions.map((v) => revisionName(v.version));
          if (!shipped.includes(r))
            ctx.addIssue({ code: 'custom', path: ['istio', 'revisions', i], message: `Calisti ${b.calisti} ships no ${r}; it runs ${shipped.join(', ')}` });
        }
      });
      checkRevisions(fleet, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
      /** Reports a namespace the fleet may not use this way; true when it did. */
      const reserved = (ns: string, use: NamespaceUse, path: PropertyKey[]) => {
        const owner = namespaceOwner(ns, use, fleet);
        if (owner) ctx.addIssue({ code: 'custom', path, message: `"${ns}" ${owner}; use a namespace of your own` });
        return owner !== undefined;
      };
      reserved(fleet.istio.namespace, 'istio', ['istio', 'namespace']);
      reserved(fleet.argocd.namespace, 'argocd', ['argocd', 'namespace']);
      const names = new Set<string>();
      fleet.clusters.forEach((c, i) => {
        if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['clusters', i, 'name'], message: `duplicate cluster name "${c.name}"` });
        names.add(c.name);
        if (c.overrides?.controlPlane && 'clusterName' in c.overrides.controlPlane) {
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', i, 'overrides', 'controlPlane', 'clusterName'],
            message: 'is set from clusters[].name; remove it here',
          });
        }
        if (c.overrides?.istioControlPlane && 'networkName' in c.overrides.istioControlPlane) {
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', i, 'overrides', 'istioControlPlane', 'networkName'],
            message: 'is set from clusters[].network; remove it here',
          });
        }
        // The renderer's output is trusted by the leak guard: a credential must not enter through overrides.
        for (const field of resourceCredentials({ apiVersion: 'smm.cisco.com/v1alpha1', kind: 'ControlPlane', spec: c.overrides?.controlPlane })) {
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', i, 'overrides', 'controlPlane', ...field.split('.').slice(1)],
            message: 'is a credential and would sit in git in clear: set dashboard.oidc and seal the client secret with calisti-gitops seal --target oidc',
          });
        }
        if (c.overrides && !c.overrides.allowPatchDirectives) {
          for (const kind of ['controlPlane', 'istioControlPlane'] as const) {
            for (const at of patchDirectives(c.overrides[kind])) {
              ctx.addIssue({
                code: 'custom',
                path: ['clusters', i, 'overrides', kind, ...at],
                message:
                  'is a strategic-merge directive, which can delete or replace the generated spec; set overrides.allowPatchDirectives: true if that is meant',
              });
            }
          }
        }
        checkDashboard(c.dashboard, (path, message) => ctx.addIssue({ code: 'custom', path: ['clusters', i, 'dashboard', ...path], message }));
        if (c.role === 'passive' && (c.dashboard.expose || c.dashboard.anonymous)) {
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', i, 'dashboard'],
            message: 'a passive cluster runs no dashboard (smm.web is off); expose it on an active cluster',
          });
        }
      });
      if (!fleet.clusters.some((c) => c.role === 'active')) {
        ctx.addIssue({
          code: 'custom',
          path: ['clusters'],
          message: 'a fleet needs at least one cluster with role: active (passive clusters attach to an active one)',
        });
      }
      const unknownCluster = (name: string, path: PropertyKey[]) => {
        if (!names.has(name)) ctx.addIssue({ code: 'custom', path, message: `unknown cluster "${name}"; clusters are: ${[...names].join(', ')}` });
      };
      checkPolicies(fleet.policies, names, (path, message) => ctx.addIssue({ code: 'custom', path: ['policies', ...path], message }));
      checkSlos(fleet.slos, names, (path, message) => ctx.addIssue({ code: 'custom', path: ['slos', ...path], message }));
      const gwKeys = new Set<string>();
      fleet.gateways.forEach((g, i) => {
        const key = `${g.namespace}/${g.name}`;
        if (gwKeys.has(key)) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'name'], message: `duplicate gateway ${key}` });
        gwKeys.add(key);
        g.clusters.forEach((c, j) => unknownCluster(c, ['gateways', i, 'clusters', j]));
        reserved(g.namespace, 'gateway', ['gateways', i, 'namespace']);
        if (fleet.demoApp && g.namespace === fleet.demoApp.namespace) {
          ctx.addIssue({
            code: 'custom',
            path: ['gateways', i, 'namespace'],
            message: `"${g.namespace}" is the demo app's namespace, which the demo-app application owns; use a namespace of its own`,
          });
        }
        checkGateway(g, (path, message) => ctx.addIssue({ code: 'custom', path: ['gateways', i, ...path], message }));
        const ports = new Set<number>();
        g.ports.forEach((p, j) => {
          if (ports.has(p.port)) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'ports', j, 'port'], message: `port ${p.port} is used twice` });
          ports.add(p.port);
          if ((p.targetPort ?? p.port) < 1024 && !g.runAsRoot) {
            ctx.addIssue({
              code: 'custom',
              path: ['gateways', i, 'ports', j, p.targetPort === undefined ? 'port' : 'targetPort'],
              message: 'a gateway that does not run as root cannot listen below 1024; set targetPort (e.g. 8080) or runAsRoot: true',
            });
          }
          const needsTls = p.protocol === 'HTTPS' || p.protocol === 'TLS';
          if (needsTls && !p.tls) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'ports', j, 'tls'], message: `protocol ${p.protocol} needs tls.mode` });
          if (p.tls && !needsTls)
            ctx.addIssue({
              code: 'custom',
              path: ['gateways', i, 'ports', j, 'tls'],
              message: `tls is only valid with protocol HTTPS or TLS, not ${p.protocol}`,
            });
        });
      });
      const owned = new Set([...fleet.gateways.map((g) => g.namespace), ...(fleet.demoApp ? [fleet.demoApp.namespace] : [])]);
      const listed = new Set<string>();
      fleet.namespaces.forEach((n, i) => {
        if (!reserved(n.name, 'workload', ['namespaces', i, 'name']) && owned.has(n.name)) {
          ctx.addIssue({ code: 'custom', path: ['namespaces', i, 'name'], message: `"${n.name}" is already managed (gateway or demo app namespace)` });
        }
        if (listed.has(n.name)) ctx.addIssue({ code: 'custom', path: ['namespaces', i, 'name'], message: `namespace "${n.name}" is listed twice` });
        listed.add(n.name);
        n.clusters?.forEach((c, j) => unknownCluster(c, ['namespaces', i, 'clusters', j]));
        if ('istio.io/rev' in n.labels)
          ctx.addIssue({ code: 'custom', path: ['namespaces', i, 'labels', 'istio.io/rev'], message: 'is set from revision; use revision: instead' });
      });
      if (fleet.demoApp) {
        reserved(fleet.demoApp.namespace, 'demo', ['demoApp', 'namespace']);
        const placed = new Set<string>();
        fleet.demoApp.placement.forEach((p, i) => {
          unknownCluster(p.cluster, ['demoApp', 'placement', i, 'cluster']);
          if (placed.has(p.cluster))
            ctx.addIssue({
              code: 'custom',
              path: ['demoApp', 'placement', i, 'cluster'],
              message: `cluster "${p.cluster}" is placed twice; list all its components in one entry`,
            });
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
