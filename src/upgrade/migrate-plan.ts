/**
 * `istio migrate` planned purely: which workloads move to which control plane on which clusters, as
 * model changes. With --cluster or --ring only those clusters move; the workload's other clusters
 * keep theirs (clusterRevisions), and once every cluster agrees the model is back to one revision.
 */
import { UsageError, UserError } from '../errors.js';
import { versionOf } from '../model/rings.js';
import { revisionsOnCluster } from '../model/revisions.js';
import type { Fleet } from '../model/schema.js';
import type { ModelChange } from './steps/types.js';
import { primaryRevision, restartCommands, workloadRevisionOn, workloads, type Workload } from './workloads.js';
import { pushTo } from '../objects.js';

export interface MigrateRequest {
  namespaces: string[];
  to?: string;
  rollback: boolean;
  /** Only these clusters (--cluster). */
  clusters?: string[];
  /** Only this ring's clusters (--ring). */
  ring?: string;
}

export interface Move {
  namespace: string;
  what: string;
  from: string;
  to: string;
  /** The clusters that move. */
  clusters: string[];
}

export interface MigratePlan {
  to: string;
  changes: ModelChange[];
  moved: Move[];
  followUps: string[];
  /** `on c1, c2` / `on ring canary`, for messages; empty for the whole fleet. */
  scope: string;
}

/** The clusters --cluster or --ring name, checked against the model; undefined: every cluster. */
export function scopeClusters(fleet: Fleet, req: Pick<MigrateRequest, 'clusters' | 'ring'>): { clusters?: string[]; scope: string } {
  if (req.clusters && req.ring !== undefined) throw new UsageError('--cluster and --ring: give one of them');
  const known = fleet.clusters.map((c) => c.name);
  if (req.clusters) {
    const unknown = req.clusters.filter((c) => !known.includes(c));
    if (unknown.length)
      throw new UserError(`--cluster: no cluster ${unknown.map((c) => `"${c}"`).join(', ')} in calisti.yaml`, `clusters are: ${known.join(', ')}`);
    if (req.clusters.length === 0) throw new UsageError('--cluster: name at least one cluster');
    return { clusters: req.clusters, scope: `on ${req.clusters.join(', ')}` };
  }
  if (req.ring !== undefined) {
    const ring = fleet.rings.find((r) => r.name === req.ring);
    if (!ring)
      throw new UserError(
        `--ring: no ring "${req.ring}" in calisti.yaml`,
        fleet.rings.length
          ? `rings are: ${fleet.rings.map((r) => r.name).join(', ')}`
          : 'group the clusters first, e.g. rings: [{ name: canary, clusters: [<cluster>] }, { name: rest, clusters: [...] }], or name them with --cluster',
      );
    return { clusters: ring.clusters, scope: `on ring ${ring.name}` };
  }
  return { scope: '' };
}

export function planMigrate(fleet: Fleet, req: MigrateRequest): MigratePlan {
  const { clusters: targets, scope } = scopeClusters(fleet, req);
  const running = [...new Set(fleet.clusters.flatMap((c) => revisionsOnCluster(fleet, c.name)))];
  let to = req.to;
  if (!to && req.rollback) {
    if (fleet.istio.revisions.length !== 1)
      throw new UserError(
        `--rollback needs --to when ${fleet.istio.revisions.length === 0 ? 'no older' : 'several older'} control planes run (${running.join(', ')})`,
      );
    to = fleet.istio.revisions[0]!;
  }
  if (!to) throw new UserError('say where to move the namespaces: --to <revision>', `running control planes: ${running.join(', ')}`);
  if (!running.includes(to)) throw new UserError(`control plane ${to} is not running; running: ${running.join(', ')}`);
  const all = workloads(fleet);
  const known = [...new Set(all.map((w) => w.namespace))];
  const unknown = req.namespaces.filter((n) => !known.includes(n));
  if (unknown.length)
    throw new UserError(
      `unknown namespace(s): ${unknown.join(', ')}`,
      `namespaces in the mesh: ${known.join(', ')} (add others under namespaces: in calisti.yaml)`,
    );

  const selected = all
    .filter((w) => req.namespaces.includes(w.namespace))
    .map((w) => ({ w, here: targets ? w.clusters.filter((c) => targets.includes(c)) : w.clusters }));
  const elsewhere = req.namespaces.filter((n) => !selected.some((s) => s.w.namespace === n && s.here.length > 0));
  if (elsewhere.length) {
    const where = (n: string) => [...new Set(all.filter((w) => w.namespace === n).flatMap((w) => w.clusters))].join(', ');
    throw new UserError(
      `namespace ${elsewhere.map((n) => `${n} (on ${where(n)})`).join(', ')} runs on no cluster ${scope}`,
      'name clusters it runs on with --cluster, or leave --cluster/--ring out to move it everywhere',
    );
  }
  // The supported path, per cluster: a workload moves only to a control plane its cluster runs.
  const missing = [...new Set(selected.flatMap(({ here }) => here))].filter((c) => !revisionsOnCluster(fleet, c).includes(to));
  if (missing.length) {
    const ahead = fleet.rings.find((r) => r.version !== undefined && revisionsOnCluster(fleet, r.clusters[0]!).includes(to));
    const behind = fleet.rings.find((r) => r.clusters.some((c) => missing.includes(c)));
    throw new UserError(
      `control plane ${to} is not running on ${missing.map((c) => `${c} (Calisti ${versionOf(fleet, c)} runs ${revisionsOnCluster(fleet, c).join(', ')})`).join(', ')}`,
      ahead
        ? `upgrade ${behind ? `ring ${behind.name}` : 'those clusters'} first: calisti-gitops upgrade --to ${ahead.version}${behind ? ` --ring ${behind.name}` : ''}`
        : `move them to a control plane they run, or leave them out with --cluster`,
    );
  }

  const changes: ModelChange[] = [];
  const moved: Move[] = [];
  const restarts: Workload[] = [];
  for (const { w, here } of selected) {
    const next = (c: string) => (here.includes(c) ? to : workloadRevisionOn(w, c));
    const from = new Map<string, string[]>();
    for (const c of here) if (workloadRevisionOn(w, c) !== to) pushTo(from, workloadRevisionOn(w, c), c);
    if (from.size === 0) continue;
    for (const [r, cs] of from) moved.push({ namespace: w.namespace, what: w.what, from: r, to, clusters: cs });
    restarts.push({ ...w, clusters: [...from.values()].flat() });
    changes.push(...revisionChanges(fleet, w, next));
  }
  return { to, changes, moved, followUps: restartCommands(restarts), scope };
}

/** The model changes that give a workload these control planes per cluster: one revision when all agree. */
function revisionChanges(fleet: Fleet, w: Workload, next: (cluster: string) => string): ModelChange[] {
  const parent = w.path.slice(0, -1);
  const values = [...new Set(w.clusters.map(next))];
  if (values.length === 1) {
    const r = values[0]!;
    // On every cluster's own control plane a workload follows its release; elsewhere it is pinned.
    const own = r === primaryRevision(fleet) && w.clusters.every((c) => revisionsOnCluster(fleet, c)[0] === r);
    return [own ? { op: 'delete', path: w.path } : { op: 'set', path: w.path, value: r }, { op: 'delete', path: [...parent, 'clusterRevisions'] }];
  }
  const byCluster = Object.fromEntries(w.clusters.filter((c) => next(c) !== w.revision).map((c) => [c, next(c)]));
  return [{ op: 'set', path: [...parent, 'clusterRevisions'], value: byCluster }];
}
