/** Validation findings and the catalog of rules that produce them (IDs are stable: tools key on them). */

export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** Destination cluster, when the finding is about what one cluster receives. */
  cluster?: string;
  /** The Argo CD Application (or ApplicationSet) involved. */
  application?: string;
  resource?: ResourceRef;
  /** Repo-relative file and 1-based position, when known. */
  file?: string;
  line?: number;
  col?: number;
}

export const RULES = {
  'yaml/invalid': { severity: 'error', summary: 'A YAML file under apps/ or bootstrap/ does not parse.' },
  'argocd/schema': { severity: 'error', summary: "An Application, ApplicationSet or AppProject does not match Argo CD's CRD schema." },
  'argocd/schema-unavailable': {
    severity: 'info',
    summary:
      'No Argo CD CRDs were given (--crds): Argo CD objects were checked against @kubernetes-models/argo-cd (types, required fields), not for unknown fields.',
  },
  'appset/unknown-parameter': { severity: 'error', summary: 'A template names a parameter no generator provides; Argo CD leaves it as written.' },
  'argocd/unreachable': {
    severity: 'warning',
    summary:
      'An Application/ApplicationSet file that nothing Argo CD applies reaches (no kustomization from the root lists it), or a path that leads nowhere; it is not checked.',
  },
  'appset/rejected': {
    severity: 'error',
    summary: 'Argo CD would reject the ApplicationSet (a generator or template error) and create none of its Applications.',
  },
  'appset/generator-unsupported': { severity: 'warning', summary: 'A generator that cannot be expanded offline; its Applications were not checked.' },
  'appset/rolling-sync-unmatched': {
    severity: 'warning',
    summary:
      "An ApplicationSet's RollingSync strategy selects an Application in none of its steps: Argo CD turns the Application's automated sync off and never syncs it.",
  },
  'app/duplicate-name': { severity: 'error', summary: 'Two Applications (from any ApplicationSets) share a name; one overwrites the other.' },
  'app/invalid-name': { severity: 'error', summary: 'An Application name is not a DNS-1123 subdomain.' },
  'app/name-too-long': {
    severity: 'warning',
    summary: "An Application name is longer than 63 characters, so Argo CD's label-based resource tracking cannot hold it.",
  },
  'app/source-path-missing': { severity: 'error', summary: 'A source path in this repo does not exist.' },
  'app/destination-unknown': { severity: 'warning', summary: 'An Application targets a cluster that calisti.yaml does not list.' },
  'helm/oci-reference': {
    severity: 'error',
    summary: 'An OCI Helm chart reference is malformed (oci:// prefix with chart, missing chart, or a non-literal version).',
  },
  'helm/not-rendered': { severity: 'info', summary: 'A Helm chart source was not rendered (helm is not installed, or the chart is remote).' },
  'helm/template-failed': { severity: 'error', summary: "`helm template` fails on a vendored chart with the Application's values." },
  'kustomize/build-failed': { severity: 'error', summary: 'kustomize cannot build what an Application deploys.' },
  'kustomize/warning': { severity: 'warning', summary: 'kustomize printed a warning (for example a deprecated field).' },
  'model/drift': { severity: 'error', summary: 'The repo is not what calisti.yaml generates (other than hand edits the model does not touch): run generate.' },
  'version/mismatch': {
    severity: 'error',
    summary:
      "A chart targetRevision, an IstioControlPlane spec.version or image differs from what the blueprints give the model's version (an in-place bump by hand or by a bot).",
  },
  'upgrade/path': {
    severity: 'error',
    summary:
      'Against the base (--base, the upstream merge base, or the model before its last change) the model skips a minor, downgrades, swaps an Istio control plane in place, or changes calisti.version alone without the upgrade it needs (a hosted Renovate pull request).',
  },
  'renovate/preset-not-extended': {
    severity: 'warning',
    summary: 'The Renovate config Renovate reads does not extend .calisti-gitops/renovate.json: Renovate would bump generated files in place.',
  },
  'kustomize/remote-resource': {
    severity: 'error',
    summary:
      'A kustomization names a remote resource, git base or Helm chart; validate does not fetch what a pull request chooses (--allow-remote to build it).',
  },
  'kustomize/unsafe-input': {
    severity: 'error',
    summary: 'A kustomization input is not a regular file inside the repo (a symlink out, a device, a loop) or is too large to be a manifest; not built.',
  },
  'app/source-not-checked': {
    severity: 'warning',
    summary: 'An Application source is another git repository: neither built nor a known chart, so what it deploys was not checked.',
  },
  'schema/invalid': { severity: 'error', summary: 'A rendered resource violates its schema (type, enum, required field).' },
  'schema/unknown-field': { severity: 'error', summary: 'A rendered resource has a field its schema does not know; the API server would drop it silently.' },
  'schema/unknown-kind': { severity: 'info', summary: 'No schema is known for a kind (pass its CRD with --crds).' },
  'resource/duplicate': { severity: 'error', summary: 'Two Applications deploy the same resource to one cluster and will fight over it.' },
  'namespace/istio-rev-unknown': { severity: 'error', summary: "A namespace's istio.io/rev label names no IstioControlPlane on that cluster." },
  'controlplane/istio-ref-missing': {
    severity: 'error',
    summary: "The ControlPlane's istioCRRef or smm.istio.revision names no IstioControlPlane on that cluster.",
  },
  'controlplane/cluster-name-mismatch': { severity: 'error', summary: 'ControlPlane.spec.clusterName differs from the cluster the Application deploys it to.' },
  'controlplane/role-mismatch': {
    severity: 'warning',
    summary: 'An active ControlPlane runs on a PASSIVE (remote) IstioControlPlane; a passive one may run on either (2.7.1).',
  },
  'meshgateway/controlplane-missing': { severity: 'error', summary: 'An IstioMeshGateway points at an IstioControlPlane that is not on that cluster.' },
  'demoapp/revision-mismatch': {
    severity: 'error',
    summary: "A DemoApplication's Istio revision differs from its namespace's, or names no IstioControlPlane.",
  },
  'demoapp/controlplane-missing': { severity: 'error', summary: "A DemoApplication's controlPlaneRef names no ControlPlane on that cluster." },
  'virtualservice/gateway-missing': { severity: 'error', summary: 'A VirtualService is bound to a Gateway that is not on that cluster.' },
  'gateway/port/protocol-conflict': {
    severity: 'error',
    summary: 'Gateways that select the same gateway pods declare one port with different protocols; reported on each (smm analyze, 2.7.3).',
  },
  'gateway/reused-cert': {
    severity: 'error',
    summary: 'Gateways that select the same gateway pods share a TLS certificate; HTTP/2 connection reuse gives 404s; reported on each (smm analyze, 2.7.3).',
  },
  'multicluster/no-active': { severity: 'error', summary: 'No cluster runs an ACTIVE IstioControlPlane.' },
  'multicluster/mesh-id-mismatch': { severity: 'error', summary: 'IstioControlPlanes of one mesh carry different meshIDs.' },
  'multicluster/network-missing': { severity: 'warning', summary: 'A multi-cluster IstioControlPlane has no networkName.' },
  'namespace/istio-injection-label': {
    severity: 'warning',
    summary: "A namespace carries istio-injection, which does not inject under Calisti's revisioned control planes (2.7.2.8).",
  },
  'controlplane/multiple-active': {
    severity: 'warning',
    summary: 'More than one Service Mesh Manager control plane of the mesh is active; only one may be (2.7.1).',
  },
  'topology/network-change': {
    severity: 'warning',
    summary: 'A cluster moves to another network; an attached cluster keeps its network until it is detached and re-attached (2.7.1.1).',
  },
  'destinationrule/enabled-mtls/missing-mesh-policy': {
    severity: 'error',
    summary: 'A DestinationRule sets ISTIO_MUTUAL but no mesh policy enables mTLS for its host (smm analyze, 2.7.3).',
  },
  'gateway/selector-unmatched': {
    severity: 'warning',
    summary: "A Gateway's selector selects no gateway pods the cluster receives, so its servers configure nothing (2.7.3).",
  },
  'virtualservice/destination-unknown': {
    severity: 'warning',
    summary: 'A VirtualService routes to a host that is no Service of the fleet and no ServiceEntry (2.7.3).',
  },
  'syncwave/order': { severity: 'error', summary: 'A resource syncs before its namespace or before the control plane it needs.' },
  'secret/plaintext': {
    severity: 'error',
    summary: 'A Secret with data in git, or a Helm parameter or value that looks like a credential with a literal value.',
  },
  'secret/unsealed-placeholder': { severity: 'warning', summary: 'A placeholder Secret still waits for `calisti-gitops seal`.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleId = keyof typeof RULES;

export function finding(rule: RuleId, message: string, where: Omit<Finding, 'rule' | 'severity' | 'message'> = {}): Finding {
  return { rule, severity: RULES[rule].severity, message, ...where };
}

/** What names a Kubernetes object; fields that are not strings read as empty. */
export function resourceRef(o: Record<string, unknown>): ResourceRef {
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    ...(typeof o.apiVersion === 'string' ? { apiVersion: o.apiVersion } : {}),
    kind: str(o.kind),
    ...(str(meta.namespace) ? { namespace: str(meta.namespace) } : {}),
    name: str(meta.name),
  };
}

export const refString = (r: ResourceRef) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
