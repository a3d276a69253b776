/**
 * Canary moves of the data plane between Istio control planes (docs 2.4.7, 2.4.8): `istio migrate`
 * relabels namespaces (and the demo app's revision) through the model; `istio prune` removes an
 * old control plane only when nothing on any cluster still uses it.
 */
import { UserError } from '../errors.js';
import { ModelEdit } from '../model/edit.js';
import { revisionsOnCluster } from '../model/revisions.js';
import { applyModelEdit, withRepoModel } from './apply.js';
import { planMigrate, type MigrateRequest, type Move } from './migrate-plan.js';
import { primaryRevision, revisionsOf, workloadRevisionOn, workloads } from './workloads.js';

export interface IstioResult {
  changed: boolean;
  commit: string | null;
  moved: Move[];
  pruned: string[];
  followUps: string[];
}

export async function runMigrate(opts: MigrateRequest & { dir: string; commit: boolean }): Promise<IstioResult> {
  return withRepoModel(opts.dir, async ({ root, text, fleet }) => {
    const plan = planMigrate(fleet, opts);
    if (plan.moved.length === 0) return { changed: false, commit: null, moved: [], pruned: [], followUps: [] };
    const edit = new ModelEdit(text);
    for (const c of plan.changes) {
      if (c.op === 'delete') edit.delete(c.path);
      else edit.set(c.path, c.value);
    }
    const verb = opts.rollback ? 'roll back' : 'move';
    const r = await applyModelEdit(root, edit, {
      commit: opts.commit,
      message: `chore(istio): ${verb} ${opts.namespaces.join(', ')} to ${plan.to}${plan.scope ? ` ${plan.scope}` : ''}`,
    });
    return { changed: r.changed, commit: r.commit, moved: plan.moved, pruned: [], followUps: plan.followUps };
  });
}

export async function runPrune(opts: { dir: string; revision?: string; commit: boolean }): Promise<IstioResult> {
  return withRepoModel(opts.dir, async ({ root, text, fleet }) => {
    const primary = primaryRevision(fleet);
    if (opts.revision === primary) throw new UserError(`${primary} is Calisti ${fleet.calisti.version}'s own control plane; it cannot be pruned`);
    if (opts.revision && !fleet.istio.revisions.includes(opts.revision))
      throw new UserError(`control plane ${opts.revision} is not running; older ones running: ${fleet.istio.revisions.join(', ') || 'none'}`);
    const candidates = opts.revision ? [opts.revision] : fleet.istio.revisions;
    if (candidates.length === 0) return { changed: false, commit: null, moved: [], pruned: [], followUps: [] };
    // Mid-rollout, calisti.version's own control plane is kept for the rings upgraded already.
    const own = candidates.filter((r) => fleet.clusters.some((c) => revisionsOnCluster(fleet, c.name)[0] === r));
    if (own.length > 0) {
      const on = fleet.clusters.filter((c) => own.includes(revisionsOnCluster(fleet, c.name)[0]!)).map((c) => c.name);
      throw new UserError(
        `${own.join(', ')} is still the own control plane of Calisti ${fleet.calisti.version} on ${on.join(', ')}, not pruned`,
        'finish the rollout first: calisti-gitops outdated names the next ring to upgrade',
      );
    }
    const users = workloads(fleet).flatMap((w) =>
      revisionsOf(w)
        .filter((r) => candidates.includes(r))
        .map((r) => ({ w, r, on: w.clusters.filter((c) => workloadRevisionOn(w, c) === r) })),
    );
    if (users.length > 0) {
      const list = users.map(({ w, r, on }) => `  ${r}: namespace ${w.namespace} (${w.what}) on ${on.join(', ')}`).join('\n');
      throw new UserError(
        `still in use, not pruned:\n${list}`,
        `move them first: calisti-gitops istio migrate --namespace ${[...new Set(users.map(({ w }) => w.namespace))].join(',')} --to ${primary}`,
      );
    }
    const keep = fleet.istio.revisions.filter((r) => !candidates.includes(r));
    const edit = new ModelEdit(text);
    if (keep.length === 0) edit.delete(['istio', 'revisions']);
    else edit.set(['istio', 'revisions'], keep);
    // Removing the control plane is what prune is for; it has checked that nothing uses it.
    const r = await applyModelEdit(root, edit, {
      commit: opts.commit,
      message: `chore(istio): remove control plane${candidates.length > 1 ? 's' : ''} ${candidates.join(', ')}`,
      allowDestructive: true,
    });
    return { changed: r.changed, commit: r.commit, moved: [], pruned: candidates, followUps: [] };
  });
}
