/**
 * Mesh rules across the resources one cluster receives, in the spirit of `smm analyze` (docs 2.7.3),
 * plus the fleet-wide multi-cluster rules. Pure functions over rendered objects.
 */
import { SYNC_WAVE } from '../render/layout.js';
import { finding, resourceRef, type Finding } from './findings.js';
import {
  annotationsOf,
  ControlPlaneSpec,
  DemoApplicationSpec,
  IstioControlPlaneSpec,
  IstioMeshGatewaySpec,
  labelsOf,
  meta,
  specOf,
  VirtualServiceSpec,
  type KubeObject,
} from './objects.js';
import { MESH_RULES } from './rules/registry.js';
import { pushTo } from '../objects.js';

export interface Deployed {
  obj: KubeObject;
  application: string;
  file?: string;
  line?: number;
  /** The kustomization it was built from, when it was. */
  source?: string;
}

export interface ClusterView {
  cluster: string;
  resources: Deployed[];
  /** A build for this cluster failed: what it receives is not fully known. */
  incomplete?: boolean;
}

const ISTIO_API = 'servicemesh.cisco.com/v1alpha1';
const is = (o: KubeObject, kind: string, group?: string) => o.kind === kind && (!group || String(o.apiVersion).startsWith(`${group}/`));
const wave = (o: KubeObject) => Number(annotationsOf(o)[SYNC_WAVE] ?? 0) || 0;

function at(view: ClusterView, d: Deployed) {
  return { cluster: view.cluster, application: d.application, resource: resourceRef(d.obj), file: d.file, line: d.line };
}

export function clusterRules(view: ClusterView): Finding[] {
  const out: Finding[] = [];
  const of = (kind: string, group?: string) => view.resources.filter((d) => is(d.obj, kind, group));
  const icps = of('IstioControlPlane', 'servicemesh.cisco.com');
  const icpKey = (name: unknown, ns: unknown) => `${ns}/${name}`;
  const icpByKey = new Map(icps.map((d) => [icpKey(meta(d.obj).name, meta(d.obj).namespace ?? 'default'), d]));
  const revisionLabels = new Set<unknown>(icps.map((d) => `${meta(d.obj).name}.${meta(d.obj).namespace ?? 'default'}`));
  const namespaces = new Map<unknown, Deployed>(of('Namespace').map((d) => [meta(d.obj).name, d]));

  for (const d of namespaces.values()) {
    const rev = labelsOf(d.obj)['istio.io/rev'];
    if (rev !== undefined && !revisionLabels.has(rev)) {
      out.push(
        finding(
          'namespace/istio-rev-unknown',
          `istio.io/rev "${rev}" names no IstioControlPlane on ${view.cluster}${icps.length ? ` (there: ${[...revisionLabels].join(', ')})` : ''}`,
          at(view, d),
        ),
      );
    }
  }

  const controlPlanes = of('ControlPlane', 'smm.cisco.com');
  for (const d of controlPlanes) {
    const spec = specOf(ControlPlaneSpec, d.obj);
    const ref = spec.meshManager?.istio?.istioCRRef;
    if (ref?.name && !icpByKey.has(icpKey(ref.name, ref.namespace ?? 'istio-system'))) {
      out.push(
        finding(
          'controlplane/istio-ref-missing',
          `meshManager.istio.istioCRRef ${ref.namespace ?? 'istio-system'}/${ref.name} is not an IstioControlPlane on ${view.cluster}`,
          at(view, d),
        ),
      );
    }
    const rev = spec.smm?.istio?.revision;
    if (rev !== undefined && !revisionLabels.has(rev)) {
      out.push(finding('controlplane/istio-ref-missing', `smm.istio.revision "${rev}" names no IstioControlPlane on ${view.cluster}`, at(view, d)));
    }
    if (spec.clusterName !== undefined && spec.clusterName !== view.cluster) {
      out.push(
        finding('controlplane/cluster-name-mismatch', `clusterName "${spec.clusterName}" but the Application deploys it to "${view.cluster}"`, at(view, d)),
      );
    }
    // A passive SMM may run on a primary (ACTIVE) or a remote (PASSIVE) Istio cluster; an active one needs a primary (docs 2.7.1).
    const referenced = ref?.name ? icpByKey.get(icpKey(ref.name, ref.namespace ?? 'istio-system')) : undefined;
    const mode = referenced ? (specOf(IstioControlPlaneSpec, referenced.obj).mode ?? 'ACTIVE') : 'ACTIVE';
    if (referenced && (spec.role ?? 'active') === 'active' && mode === 'PASSIVE') {
      out.push(
        finding(
          'controlplane/role-mismatch',
          `an active Service Mesh Manager needs a primary Istio cluster, but IstioControlPlane ${meta(referenced.obj).name} runs mode PASSIVE: set role: passive, or make the Istio control plane ACTIVE`,
          at(view, d),
        ),
      );
    }
  }

  for (const d of of('IstioMeshGateway', 'servicemesh.cisco.com')) {
    const ref = specOf(IstioMeshGatewaySpec, d.obj).istioControlPlane;
    if (!ref?.name || !icpByKey.has(icpKey(ref.name, ref.namespace ?? meta(d.obj).namespace ?? 'default'))) {
      out.push(
        finding(
          'meshgateway/controlplane-missing',
          `istioControlPlane ${ref?.namespace ?? '?'}/${ref?.name ?? '?'} is not an IstioControlPlane on ${view.cluster}`,
          at(view, d),
        ),
      );
    }
  }

  const cpNames = new Set(controlPlanes.map((d) => meta(d.obj).name));
  for (const d of of('DemoApplication', 'smm.cisco.com')) {
    const spec = specOf(DemoApplicationSpec, d.obj);
    const rev = spec.istio?.revision;
    const ns = namespaces.get(meta(d.obj).namespace);
    const nsRev = ns ? labelsOf(ns.obj)['istio.io/rev'] : undefined;
    if (rev !== undefined && !revisionLabels.has(rev)) {
      out.push(finding('demoapp/revision-mismatch', `istio.revision "${rev}" names no IstioControlPlane on ${view.cluster}`, at(view, d)));
    } else if (rev !== undefined && nsRev !== undefined && rev !== nsRev) {
      out.push(
        finding('demoapp/revision-mismatch', `istio.revision "${rev}" but namespace ${meta(d.obj).namespace} is labelled istio.io/rev "${nsRev}"`, at(view, d)),
      );
    }
    const cpRef = spec.controlPlaneRef?.name;
    if (cpRef !== undefined && !cpNames.has(cpRef)) {
      out.push(finding('demoapp/controlplane-missing', `controlPlaneRef "${cpRef}" names no ControlPlane on ${view.cluster}`, at(view, d)));
    }
  }

  out.push(...gatewayRules(view, of('Gateway', 'networking.istio.io'), of('VirtualService', 'networking.istio.io')));
  out.push(...syncWaveRules(view, namespaces, icpByKey));
  for (const rule of MESH_RULES) out.push(...(rule.cluster?.(view) ?? []));
  return out;
}

function gatewayRules(view: ClusterView, gateways: Deployed[], virtualServices: Deployed[]): Finding[] {
  const out: Finding[] = [];
  const names = new Set(gateways.map((d) => `${meta(d.obj).namespace ?? 'default'}/${meta(d.obj).name}`));
  for (const d of virtualServices) {
    const ns = meta(d.obj).namespace ?? 'default';
    for (const g of specOf(VirtualServiceSpec, d.obj).gateways ?? []) {
      if (g === 'mesh') continue;
      const key = String(g).includes('/') ? String(g) : `${ns}/${g}`;
      if (!names.has(key)) out.push(finding('virtualservice/gateway-missing', `gateway "${g}" is not a Gateway on ${view.cluster}`, at(view, d)));
    }
  }
  return out;
}

function syncWaveRules(view: ClusterView, namespaces: Map<unknown, Deployed>, icps: Map<string, Deployed>): Finding[] {
  const out: Finding[] = [];
  for (const d of view.resources) {
    const o = d.obj;
    if (o.kind === 'Namespace') continue;
    // Only ordering inside one Application is defined; across Applications sync waves do not apply.
    const namespace = meta(o).namespace;
    const ns = namespace ? namespaces.get(namespace) : undefined;
    if (ns && ns.application === d.application && wave(o) < wave(ns.obj)) {
      out.push(finding('syncwave/order', `syncs in wave ${wave(o)}, before its namespace ${namespace} (wave ${wave(ns.obj)})`, at(view, d)));
    }
    const ref =
      o.apiVersion === ISTIO_API && o.kind === 'IstioMeshGateway'
        ? specOf(IstioMeshGatewaySpec, o).istioControlPlane
        : o.kind === 'ControlPlane'
          ? specOf(ControlPlaneSpec, o).meshManager?.istio?.istioCRRef
          : undefined;
    const icp = ref?.name ? icps.get(`${ref.namespace ?? 'istio-system'}/${ref.name}`) : undefined;
    if (icp && icp.application === d.application && wave(o) < wave(icp.obj)) {
      out.push(
        finding('syncwave/order', `syncs in wave ${wave(o)}, before IstioControlPlane ${meta(icp.obj).name} (wave ${wave(icp.obj)}) it needs`, at(view, d)),
      );
    }
  }
  return out;
}

/** Rules over the whole fleet: one mesh, at least one active control plane. */
export function fleetRules(views: ClusterView[]): Finding[] {
  const out = MESH_RULES.flatMap((rule) => rule.fleet?.(views) ?? []);
  const icps = views.flatMap((v) => v.resources.filter((d) => is(d.obj, 'IstioControlPlane', 'servicemesh.cisco.com')).map((d) => ({ v, d })));
  if (icps.length === 0) return out;
  if (!icps.some(({ d }) => (specOf(IstioControlPlaneSpec, d.obj).mode ?? 'ACTIVE') === 'ACTIVE')) {
    out.push(finding('multicluster/no-active', `none of the ${icps.length} IstioControlPlanes in the fleet is ACTIVE; passive clusters need an active one`));
  }
  const meshIDs = new Map<unknown, string[]>();
  for (const { v, d } of icps) {
    const id = specOf(IstioControlPlaneSpec, d.obj).meshID ?? '(unset)';
    pushTo(meshIDs, id, v.cluster);
  }
  if (meshIDs.size > 1) {
    out.push(
      finding(
        'multicluster/mesh-id-mismatch',
        `IstioControlPlanes disagree on meshID: ${[...meshIDs].map(([id, cs]) => `${id} (${[...new Set(cs)].join(', ')})`).join('; ')}`,
      ),
    );
  }
  if (views.length > 1) {
    for (const { v, d } of icps) {
      if (!specOf(IstioControlPlaneSpec, d.obj).networkName)
        out.push(finding('multicluster/network-missing', 'no networkName in a multi-cluster mesh', at(v, d)));
    }
  }
  return out;
}
