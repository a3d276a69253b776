/**
 * model/drift: the repo is not what calisti.yaml generates (other than hand edits the model does
 * not touch): a model changed without `generate`, a generated file deleted, or a hand edit that
 * conflicts with the model. What `generate` would write, planned without writing.
 */
import type { Fleet } from '../../model/schema.js';
import { renderRepo, type RenderedTree } from '../../render/index.js';
import { SEALED_FILE, STATE_FILE } from '../../render/layout.js';
import { RepoFs } from '../../repo/fs.js';
import { planGenerate } from '../../repo/plan.js';
import { currentIds, type GitView } from '../../repo/clean.js';
import { parseState } from '../../repo/state.js';
import { SealedStore } from '../../secrets/store.js';
import { finding, type Finding } from '../findings.js';

/** What calisti.yaml generates for this repo (with its sealed values): the tree the rules compare with. */
export function renderOf(root: string, fleet: Fleet): RenderedTree {
  return renderRepo(fleet, SealedStore.parse(new RepoFs(root).read(SEALED_FILE), SEALED_FILE));
}

/**
 * `rendererOwn`, when given, receives the files whose content is exactly the renderer's (the leak
 * guard trusts those, as generate does). With git's view of the tree, files it vouches for are
 * compared by blob id, not read.
 */
export function driftFindings(root: string, rendered: RenderedTree, rendererOwn?: Set<string>, view?: GitView): Finding[] {
  const fs = new RepoFs(root);
  const cache = new Map<string, string | undefined>();
  const read = (p: string) => {
    if (!cache.has(p)) cache.set(p, fs.read(p));
    return cache.get(p);
  };
  const idOf = view ? currentIds(view, read) : undefined;
  const plan = planGenerate({ rendered, previous: parseState(read(STATE_FILE)), read, idOf, force: false, bases: new Map() });
  for (const p of plan.unchanged) rendererOwn?.add(p);
  const next = 'run calisti-gitops generate (calisti-gitops diff shows what it writes)';
  return [
    ...plan.writes
      .filter((w) => w.path !== STATE_FILE)
      .map((w) =>
        finding(
          'model/drift',
          `${w.action === 'create' ? 'missing' : w.action === 'restore' ? 'deleted by hand' : 'differs from what calisti.yaml generates'}: ${next}`,
          { file: w.path },
        ),
      ),
    ...plan.deletes.map((p) => finding('model/drift', `calisti.yaml no longer generates it: ${next}`, { file: p })),
    ...plan.conflicts.map((c) =>
      finding(
        'model/drift',
        `edited by hand where calisti.yaml changes it too${c.fields?.length ? ` (${c.fields.map((f) => `${f.resource} ${f.path}`).join(', ')})` : ''}: resolve it, then ${next}`,
        { file: c.path },
      ),
    ),
  ];
}
