/**
 * The fleet as a graph: networks hold clusters, clusters hold Istio control planes, revisions hold the
 * namespaces and gateways attached to them. Pure: built from what each cluster receives after kustomize.
 */
import type { Cluster as ClusterInfo } from '../argocd/engine.js';
import type { ClusterView } from '../validate/mesh.js';

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

type Obj = Record<string, any>;
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** One cluster's node from the objects it receives. */
export function clusterNode(info: ClusterInfo, view: ClusterView | undefined): ClusterNode {
  const objs: Obj[] = (view?.resources ?? []).map((d) => d.obj);
  const kind = (k: string) => objs.filter((o) => o.kind === k);
  const revisions: RevisionNode[] = kind('IstioControlPlane').map((o) => {
    const revision = `${o.metadata?.name}.${o.metadata?.namespace ?? 'default'}`;
    return {
      revision,
      version: String(o.spec?.version ?? '?'),
      mode: String(o.spec?.mode ?? 'ACTIVE'),
      namespaces: sorted(
        kind('Namespace')
          .filter((n) => n.metadata?.labels?.['istio.io/rev'] === revision)
          .map((n) => String(n.metadata.name)),
      ),
      gateways: sorted(
        kind('IstioMeshGateway')
          .filter((g) => `${g.spec?.istioControlPlane?.name}.${g.spec?.istioControlPlane?.namespace ?? 'default'}` === revision)
          .map((g) => `${g.metadata?.namespace ?? 'default'}/${g.metadata?.name}`),
      ),
    };
  });
  revisions.sort((a, b) => (a.revision < b.revision ? -1 : 1));
  return {
    name: info.fleetName ?? info.name,
    role: info.labels['calisti.io/role'] ?? 'active',
    platform: info.labels['calisti.io/platform'] ?? 'kubernetes',
    revisions,
    demo: sorted(kind('DemoApplication').map((o) => String(o.metadata?.namespace ?? 'default'))),
    applications: sorted((view?.resources ?? []).map((d) => d.application)),
  };
}

/** The fleet's graph: networks and clusters sorted by name, so the same repo gives the same picture. */
export function fleetGraph(clusters: ClusterInfo[], views: Map<string, ClusterView>): FleetGraph {
  const networks = new Map<string, ClusterNode[]>();
  for (const c of clusters) {
    const net = c.labels['calisti.io/network'] ?? c.name;
    networks.set(net, [...(networks.get(net) ?? []), clusterNode(c, views.get(c.fleetName ?? c.name))]);
  }
  return {
    networks: [...networks].map(([name, cs]) => ({ name, clusters: cs.sort(byName) })).sort(byName),
  };
}
