/**
 * The fleet as a graph: networks hold clusters, clusters hold Istio control planes, revisions hold the
 * namespaces and gateways attached to them. Pure: built from what each cluster receives after kustomize.
 */
import type { Cluster as ClusterInfo } from '../argocd/engine.js';
import type { ClusterView } from '../validate/mesh.js';
import { IstioControlPlaneSpec, IstioMeshGatewaySpec, labelsOf, meta, specOf, type KubeObject } from '../validate/objects.js';
import { pushTo } from '../objects.js';

export interface RevisionNode {
  /** `<name>.<namespace>`, the value of the istio.io/rev label. */
  revision: string;
  version: string;
  mode: string;
  namespaces: string[];
  gateways: string[];
}

export interface ClusterNode {
  name: string;
  role: string;
  platform: string;
  revisions: RevisionNode[];
  /** Namespaces running the demo app. */
  demo: string[];
  applications: string[];
}

export interface FleetGraph {
  networks: { name: string; clusters: ClusterNode[] }[];
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** One cluster's node from the objects it receives. */
export function clusterNode(info: ClusterInfo, view: ClusterView | undefined): ClusterNode {
  const objs: KubeObject[] = (view?.resources ?? []).map((d) => d.obj);
  const kind = (k: string) => objs.filter((o) => o.kind === k);
  const revisions: RevisionNode[] = kind('IstioControlPlane').map((o) => {
    const revision = `${meta(o).name}.${meta(o).namespace ?? 'default'}`;
    const spec = specOf(IstioControlPlaneSpec, o);
    return {
      revision,
      version: String(spec.version ?? '?'),
      mode: String(spec.mode ?? 'ACTIVE'),
      namespaces: sorted(
        kind('Namespace')
          .filter((n) => labelsOf(n)['istio.io/rev'] === revision)
          .map((n) => String(meta(n).name)),
      ),
      gateways: sorted(
        kind('IstioMeshGateway')
          .filter((g) => {
            const ref = specOf(IstioMeshGatewaySpec, g).istioControlPlane;
            return `${ref?.name}.${ref?.namespace ?? 'default'}` === revision;
          })
          .map((g) => `${meta(g).namespace ?? 'default'}/${meta(g).name}`),
      ),
    };
  });
  revisions.sort((a, b) => (a.revision < b.revision ? -1 : 1));
  return {
    name: info.fleetName ?? info.name,
    role: info.labels['calisti.io/role'] ?? 'active',
    platform: info.labels['calisti.io/platform'] ?? 'kubernetes',
    revisions,
    demo: sorted(kind('DemoApplication').map((o) => String(meta(o).namespace ?? 'default'))),
    applications: sorted((view?.resources ?? []).map((d) => d.application)),
  };
}

/** The fleet's graph: networks and clusters sorted by name, so the same repo gives the same picture. */
export function fleetGraph(clusters: ClusterInfo[], views: Map<string, ClusterView>): FleetGraph {
  const networks = new Map<string, ClusterNode[]>();
  for (const c of clusters) {
    const net = c.labels['calisti.io/network'] ?? c.name;
    pushTo(networks, net, clusterNode(c, views.get(c.fleetName ?? c.name)));
  }
  return {
    networks: [...networks].map(([name, cs]) => ({ name, clusters: cs.sort(byName) })).sort(byName),
  };
}
