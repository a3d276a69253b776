/**
 * Canary moves of the data plane between Istio control planes (docs 2.4.7, 2.4.8): `istio migrate`
 * relabels namespaces (and the demo app's revision) through the model; `istio prune` removes an
 * old control plane only when nothing on any cluster still uses it.
 */
import { UserError } from '../errors.js';
import { ModelEdit } from '../model/edit.js';
import { applyModelEdit, withRepoModel } from './apply.js';
import { primaryRevision, restartCommands, workloads, type Workload } from './workloads.js';

export interface IstioResult {
  changed: boolean;
  commit: string | null;
  moved: { namespace: string; what: string; from: string; to: string }[];
  pruned: string[];
  followUps: string[];
}

export async function runMigrate(opts: { dir: string; namespaces: string[]; to?: string; rollback: boolean; commit: boolean }): Promise<IstioResult> {
  return withRepoModel(opts.dir, async ({ root, text, fleet }) => {
    const primary = primaryRevision(fleet);
    const running = [primary, ...fleet.istio.revisions];
    let to = opts.to;
    if (!to && opts.rollback) {
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
    const unknown = opts.namespaces.filter((n) => !known.includes(n));
    if (unknown.length)
      throw new UserError(
        `unknown namespace(s): ${unknown.join(', ')}`,
        `namespaces in the mesh: ${known.join(', ')} (add others under namespaces: in calisti.yaml)`,
      );
    const edit = new ModelEdit(text);
    const moved: IstioResult['moved'] = [];
    const selected: Workload[] = [];
    for (const w of all.filter((w) => opts.namespaces.includes(w.namespace))) {
      selected.push(w);
      if (w.revision === to) continue;
      // On the release's own control plane a workload follows it; elsewhere it is pinned.
      if (to === primary) edit.delete(w.path);
      else edit.set(w.path, to);
      moved.push({ namespace: w.namespace, what: w.what, from: w.revision, to });
    }
    if (moved.length === 0) return { changed: false, commit: null, moved, pruned: [], followUps: [] };
    const verb = opts.rollback ? 'roll back' : 'move';
    const r = await applyModelEdit(root, edit, { commit: opts.commit, message: `chore(istio): ${verb} ${opts.namespaces.join(', ')} to ${to}` });
    return { changed: r.changed, commit: r.commit, moved, pruned: [], followUps: restartCommands(selected) };
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
    const users = workloads(fleet).filter((w) => candidates.includes(w.revision));
    if (users.length > 0) {
      const list = users.map((w) => `  ${w.revision}: namespace ${w.namespace} (${w.what}) on ${w.clusters.join(', ')}`).join('\n');
      throw new UserError(
        `still in use, not pruned:\n${list}`,
        `move them first: calisti-gitops istio migrate --namespace ${[...new Set(users.map((w) => w.namespace))].join(',')} --to ${primary}`,
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
