/**
 * Which Gateways configure the same Envoy: Istio merges the servers of every Gateway whose selector
 * selects a gateway's pods, so conflicts are judged by the pods selected, not by equal selector
 * maps (docs 2.7.3). The pods are the IstioMeshGateways' (the operator labels them gateway-name and
 * gateway-type, plus spec.deployment.metadata.labels) and the repo's own workloads. A Gateway that
 * selects none of them is compared by its selector: when one selector holds the other, any pod the
 * larger one selects is selected by both.
 */
import type { ClusterView, Deployed } from '../mesh.js';
import { GatewaySpec, IstioMeshGatewaySpec, meta, specOf, WorkloadSpec } from '../objects.js';
import { isKind, ofKind, selects, type Obj } from './view.js';

const WORKLOAD_KINDS = new Set<unknown>(['Deployment', 'StatefulSet', 'DaemonSet']);

/** The pod labels of every gateway and workload a cluster receives, with a name to report. */
export function podLabels(view: ClusterView): { name: string; labels: Obj }[] {
  const out: { name: string; labels: Obj }[] = [];
  for (const d of view.resources) {
    const o = d.obj;
    const name = `${o.kind} ${meta(o).namespace ?? 'default'}/${meta(o).name}`;
    if (isKind(o, 'IstioMeshGateway', 'servicemesh.cisco.com')) {
      const spec = specOf(IstioMeshGatewaySpec, o);
      out.push({ name, labels: { ...spec.deployment?.metadata?.labels, 'gateway-name': String(meta(o).name), 'gateway-type': String(spec.type) } });
    } else if (WORKLOAD_KINDS.has(o.kind)) {
      const labels = specOf(WorkloadSpec, o).template?.metadata?.labels;
      if (labels) out.push({ name, labels });
    }
  }
  return out;
}

const selectorOf = (d: Deployed): Obj => specOf(GatewaySpec, d.obj).selector ?? {};
const within = (a: Obj, b: Obj) => Object.entries(a).every(([k, v]) => b[k] === v);

/** Every pair of Gateways on one cluster that configure a common gateway, in file order. */
export function gatewaysSharingPods(view: ClusterView): [Deployed, Deployed][] {
  const gateways = ofKind(view, 'Gateway', 'networking.istio.io');
  const pods = podLabels(view);
  const selected = new Map(gateways.map((g) => [g, new Set(pods.filter((p) => selects(selectorOf(g), p.labels)).map((p) => p.name))]));
  const pairs: [Deployed, Deployed][] = [];
  gateways.forEach((a, i) => {
    for (const b of gateways.slice(i + 1)) {
      const sa = selected.get(a)!;
      const sb = selected.get(b)!;
      const share =
        sa.size && sb.size
          ? [...sa].some((p) => sb.has(p))
          : !sa.size && !sb.size && (within(selectorOf(a), selectorOf(b)) || within(selectorOf(b), selectorOf(a)));
      if (share) pairs.push([a, b]);
    }
  });
  return pairs;
}
