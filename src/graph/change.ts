/**
 * What a change does to the fleet, as two pictures (before, after) of only the clusters whose mesh shape
 * changes: added or removed clusters, revisions added or pruned, namespaces and gateways moved between
 * revisions. Applications are left out: their lists change with every cluster and say nothing new.
 */
import { collapse } from './collapse.js';
import { toMermaid } from './mermaid.js';
import type { ClusterNode, FleetGraph } from './model.js';

const shape = (c: ClusterNode | undefined) => (c ? JSON.stringify({ ...c, applications: [] }) : '');
const index = (g: FleetGraph) => new Map(g.networks.flatMap((n) => n.clusters.map((c) => [c.name, c] as const)));

function only(g: FleetGraph, names: Set<string>): FleetGraph {
  return {
    networks: g.networks
      .map((n) => ({ name: n.name, clusters: n.clusters.filter((c) => names.has(c.name)).map((c) => ({ ...c, applications: [] })) }))
      .filter((n) => n.clusters.length > 0),
  };
}

/** Markdown with a before and an after Mermaid picture, or '' when the mesh shape does not change. */
export function changeMarkdown(before: FleetGraph, after: FleetGraph): string {
  const b = index(before);
  const a = index(after);
  const changed = new Set([...b.keys(), ...a.keys()].filter((name) => shape(b.get(name)) !== shape(a.get(name))));
  if (changed.size === 0) return '';
  const picture = (g: FleetGraph) => (g.networks.length ? ['```mermaid', toMermaid(collapse(g)).trimEnd(), '```'] : ['_(none)_']);
  return [
    `#### Fleet: ${changed.size} cluster(s) change shape`,
    '',
    '<table><tr><th>before</th><th>after</th></tr><tr><td>',
    '',
    ...picture(only(before, changed)),
    '',
    '</td><td>',
    '',
    ...picture(only(after, changed)),
    '',
    '</td></tr></table>',
    '',
  ].join('\n');
}
