/** Model edits land like generate: the edited calisti.yaml and its render, in one commit or none. */
import { notice } from '../notices.js';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { ModelEdit } from '../model/edit.js';
import { parseFleet, readModelText } from '../model/load.js';
import type { Fleet } from '../model/schema.js';
import { MODEL_FILE } from '../render/layout.js';
import { refuseUnsupportedChange, runGenerate, type GenerateResult } from '../repo/generate.js';
import { isRepoRoot } from '../repo/git.js';
import { describeRecovery, recover } from '../repo/journal.js';
import { withRepoLock } from '../repo/lock.js';

type RepoModel = { root: string; text: string; fleet: Fleet };

async function repoRoot(dir: string): Promise<string> {
  const root = resolve(dir);
  if (!(await isRepoRoot(root)))
    throw new UserError(`${root} is not the root of a git repository`, 'run in a repo made by calisti-gitops init, or pass -C <repo>');
  return root;
}

function readRepoModel(root: string): RepoModel {
  const text = readModelText(join(root, MODEL_FILE), MODEL_FILE);
  return { root, text, fleet: parseFleet(text, MODEL_FILE) };
}

export async function loadRepoModel(dir: string): Promise<RepoModel> {
  return readRepoModel(await repoRoot(dir));
}

/** Runs fn on the repo's model while holding the repo lock, after finishing any killed run. */
export async function withRepoModel<T>(dir: string, fn: (m: RepoModel) => Promise<T>, opts: { gate?: boolean } = {}): Promise<T> {
  const root = await repoRoot(dir);
  return withRepoLock(root, async () => {
    const recovered = await recover(root);
    if (recovered) notice(describeRecovery(recovered));
    const model = readRepoModel(root);
    // The writers that edit the model (istio, clusters, seal) refuse, like generate, a hand-made
    // change of calisti.yaml no supported upgrade makes; upgrade does its own checks (gate: false).
    if (opts.gate !== false) await refuseUnsupportedChange(root, model.fleet);
    return fn(model);
  });
}

export async function applyModelEdit(
  root: string,
  edit: ModelEdit,
  opts: { commit: boolean; message: string; extraPaths?: string[]; allowDestructive?: boolean },
): Promise<GenerateResult> {
  // The edit must give a valid model; checking here keeps a bad edit from touching the repo.
  edit.fleet();
  return runGenerate({
    dir: root,
    commit: opts.commit,
    force: false,
    message: opts.message,
    modelText: { text: edit.text(), display: MODEL_FILE },
    extraPaths: opts.extraPaths,
    allowDestructive: opts.allowDestructive,
  });
}
