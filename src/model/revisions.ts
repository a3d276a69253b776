/**
 * Which Istio control plane each mesh workload (the demo app, a gateway, a mesh namespace) uses on
 * each of its clusters. A workload names one revision for the fleet; while a migration rolls out
 * cluster by cluster (`istio migrate --cluster/--ring`), `clusterRevisions` names another for some.
 */
import { z } from 'zod';
import { blueprintFor, defaultRevision } from './blueprint.js';
import { DnsLabel } from './names.js';
import { runningRevisions, versionOf } from './rings.js';

export const Revision = z.string().regex(/^cp-v\d+x$/, 'must be an Istio revision name like cp-v115x');

export const ClusterRevisions = z
  .record(DnsLabel, Revision)
  .optional()
  .describe(
    'Per cluster, the Istio control plane while a migration rolls out cluster by cluster (set by istio migrate --cluster/--ring); the other clusters use revision.',
  );

interface Revisioned {
  revision?: string | undefined;
  clusterRevisions?: Record<string, string> | undefined;
}

interface FleetRevisions {
  calisti: { version: string };
  clusters: { name: string }[];
  rings: { name: string; clusters: string[]; version?: string | undefined }[];
  istio: { revisions: string[] };
  demoApp?: (Revisioned & { namespace: string; placement: { cluster: string }[] }) | undefined;
  gateways: (Revisioned & { name: string; namespace: string; clusters: string[] })[];
  namespaces: (Revisioned & { name: string; clusters?: string[] | undefined })[];
}

/** A workload on Istio control planes, where it sits in calisti.yaml and which clusters run it. */
export interface MeshWorkload extends Revisioned {
  namespace: string;
  what: string;
  /** Path of the workload's object in calisti.yaml. */
  path: (string | number)[];
  clusters: string[];
}

export function meshWorkloads(fleet: FleetRevisions): MeshWorkload[] {
  const pick = ({ revision, clusterRevisions }: Revisioned) => ({ revision, clusterRevisions });
  const out: MeshWorkload[] = [];
  const demo = fleet.demoApp;
  if (demo) out.push({ namespace: demo.namespace, what: 'demo app', path: ['demoApp'], clusters: demo.placement.map((p) => p.cluster), ...pick(demo) });
  fleet.gateways.forEach((g, i) => out.push({ namespace: g.namespace, what: `gateway ${g.name}`, path: ['gateways', i], clusters: g.clusters, ...pick(g) }));
  fleet.namespaces.forEach((n, i) =>
    out.push({ namespace: n.name, what: 'namespace', path: ['namespaces', i], clusters: n.clusters ?? fleet.clusters.map((c) => c.name), ...pick(n) }),
  );
  return out;
}

/** The revision a workload names for a cluster; undefined: it follows the release's own control plane. */
export const revisionOn = (w: Revisioned, cluster: string): string | undefined => w.clusterRevisions?.[cluster] ?? w.revision;

/** The control planes a cluster runs: its release's own (its ring's, mid-upgrade) first, then the older ones the fleet keeps. */
export const revisionsOnCluster = (fleet: FleetRevisions, cluster: string): string[] =>
  runningRevisions(defaultRevision(blueprintFor(versionOf(fleet, cluster))), fleet.istio.revisions);

/** The model's rules: every revision a workload names runs on the clusters it names it for. */
export function checkRevisions(fleet: FleetRevisions, issue: (path: PropertyKey[], message: string) => void): void {
  for (const w of meshWorkloads(fleet)) {
    const own = Object.entries(w.clusterRevisions ?? {});
    for (const [cluster, r] of own) {
      const path = [...w.path, 'clusterRevisions', cluster];
      if (!w.clusters.includes(cluster)) issue(path, `${w.what} (${w.namespace}) does not run on cluster "${cluster}"; it runs on ${w.clusters.join(', ')}`);
      else if (!revisionsOnCluster(fleet, cluster).includes(r))
        issue(path, `control plane ${r} is not running on ${cluster}; running there: ${revisionsOnCluster(fleet, cluster).join(', ')}`);
    }
    if (w.revision === undefined) continue;
    const rest = w.clusters.filter((c) => !own.some(([o]) => o === c));
    const sets = (rest.length ? rest : fleet.clusters.map((c) => c.name)).map((c) => revisionsOnCluster(fleet, c));
    const running = (sets[0] ?? []).filter((r) => sets.every((s) => s.includes(r)));
    if (!running.includes(w.revision))
      issue([...w.path, 'revision'], `control plane ${w.revision} is not running; running: ${running.join(', ')} (add it to istio.revisions)`);
  }
}
