/**
 * A large fleet drawn node by node is unreadable (and GitHub refuses big Mermaid blocks), so past a few
 * clusters, clusters of one shape (role, platform, revisions with their namespaces and gateways) become one
 * node with a count. Budget: at most MAX_CLUSTERS cluster nodes; a 1,000-cluster fleet stays under 60
 * nodes and 20 KB of Mermaid.
 */
import type { ClusterNode, FleetGraph } from './model.js';
import { pushTo } from '../objects.js';

export const MAX_CLUSTERS = 12;
const MAX_NETWORKS = 6;

const shape = (c: ClusterNode) => JSON.stringify([c.role, c.platform, c.revisions, c.demo, c.applications.length]);

export function collapse(g: FleetGraph, max = MAX_CLUSTERS): FleetGraph {
  const all = g.networks.flatMap((n) => n.clusters.map((c) => ({ net: n.name, c })));
  if (all.length <= max) return g;
  const byNetwork = g.networks.length <= MAX_NETWORKS;
  const groups = new Map<string, { nets: Set<string>; members: ClusterNode[] }>();
  for (const { net, c } of all) {
    const key = `${byNetwork ? net : ''}|${shape(c)}`;
    const grp = groups.get(key) ?? { nets: new Set<string>(), members: [] };
    grp.nets.add(net);
    grp.members.push(c);
    groups.set(key, grp);
  }
  const networks = new Map<string, ClusterNode[]>();
  for (const { nets, members } of groups.values()) {
    const net = nets.size === 1 ? [...nets][0]! : `${nets.size} networks`;
    const first = members[0]!;
    const name = members.length === 1 ? first.name : `${members.length} clusters (${first.name} … ${members[members.length - 1]!.name})`;
    const apps = members.length === 1 ? first.applications : [`${first.applications.length} Applications each`];
    pushTo(networks, net, { ...first, name, applications: apps });
  }
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { networks: [...networks].map(([name, clusters]) => ({ name, clusters: clusters.sort(byName) })).sort(byName) };
}
