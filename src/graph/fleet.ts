/**
 * The fleet graph from the model alone, for the generated README: render is pure (no kustomize), so this
 * reads what the renderers would place, not what was built. `graph` draws the built repo instead.
 */
import { placedOn } from '../model/membership.js';
import { revisionOn } from '../model/revisions.js';
import { labelOf, networkOf, type RenderContext } from '../render/context.js';
import type { ClusterNode, FleetGraph } from './model.js';
import { pushTo } from '../objects.js';

export function modelGraph(ctx: RenderContext, demoClusters: string[]): FleetGraph {
  const { fleet } = ctx;
  const networks = new Map<string, ClusterNode[]>();
  const demoOn = new Set(demoClusters);
  for (const c of fleet.clusters) {
    // Mid-rollout a ring runs its own release's control planes.
    const own = ctx.forCluster(c.name);
    const demo = demoOn.has(c.name) && fleet.demoApp ? fleet.demoApp : undefined;
    const nsOn = (label: string) => [
      ...placedOn(fleet.namespaces, c.name, 'all')
        .filter((n) => labelOf(own, revisionOn(n, c.name)) === label)
        .map((n) => n.name),
      ...(demo && labelOf(own, revisionOn(demo, c.name)) === label ? [demo.namespace] : []),
    ];
    const node: ClusterNode = {
      name: c.name,
      role: c.role,
      platform: c.platform,
      revisions: own.revisions
        .map((r) => ({
          revision: r.label,
          version: r.istio.version,
          mode: c.role === 'passive' ? 'PASSIVE' : 'ACTIVE',
          namespaces: [...new Set(nsOn(r.label))].sort(),
          gateways: placedOn(fleet.gateways, c.name)
            .filter((g) => labelOf(own, revisionOn(g, c.name)) === r.label)
            .map((g) => `${g.namespace}/${g.name}`)
            .sort(),
        }))
        .sort((a, b) => (a.revision < b.revision ? -1 : 1)),
      demo: demo ? [demo.namespace] : [],
      applications: [],
    };
    const net = networkOf(c);
    pushTo(networks, net, node);
  }
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { networks: [...networks].map(([name, clusters]) => ({ name, clusters: clusters.sort(byName) })).sort(byName) };
}
