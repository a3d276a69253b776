/**
 * A change of calisti.version and nothing else in calisti.yaml: what Renovate's regex manager writes
 * (the repo's Renovate preset, render/renovate.ts). Self-hosted Renovate then runs `upgrade --to
 * <new>` as a post-upgrade task, and upgrade makes the step from the model before the bump; hosted
 * Renovate cannot run it, so validate names the command instead.
 */
import { parse } from 'yaml';
import { MODEL_FILE } from '../render/layout.js';
import type { Fleet } from '../model/schema.js';
import { committedFile, gitExec } from '../repo/git.js';
import { driftFindings, renderOf } from '../validate/rules/drift.js';

type Tree = { calisti?: { version?: unknown } } & Record<string, unknown>;

function read(text: string): Tree | undefined {
  try {
    const v: unknown = parse(text, { maxAliasCount: 100 });
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Tree) : undefined;
  } catch {
    return undefined;
  }
}

/** `{ from, to }` when `after` is `before` with only calisti.version changed (comments and layout aside). */
export function versionBump(before: string, after: string): { from: string; to: string } | undefined {
  const b = read(before);
  const a = read(after);
  const from = b?.calisti?.version;
  const to = a?.calisti?.version;
  if (!a || !b || from === undefined || to === undefined || String(from) === String(to)) return undefined;
  const undone = { ...a, calisti: { ...a.calisti, version: from } };
  return JSON.stringify(undone) === JSON.stringify(b) ? { from: String(from), to: String(to) } : undefined;
}

/**
 * The model before a bump to `to`, when `text` is one and the repo was not generated from it (an
 * upgrade that only changes the version, once made, looks the same): HEAD's (the bump is not
 * committed, as when Renovate runs its post-upgrade task), else the one before the last commit that
 * changed the model (the bump is committed, as on a hosted Renovate branch).
 */
export async function modelBeforeBump(root: string, text: string, fleet: Fleet, to: string): Promise<string | undefined> {
  const head = await committedFile(root, MODEL_FILE);
  let before = head !== undefined && versionBump(head, text)?.to === to ? head : undefined;
  if (before === undefined) {
    const last = (await gitExec(root, ['log', '-1', '--format=%H', '--', MODEL_FILE]).catch(() => '')).trim();
    const parent = last ? await gitExec(root, ['show', `${last}^:${MODEL_FILE}`]).catch(() => undefined) : undefined;
    if (parent !== undefined && versionBump(parent, text)?.to === to) before = parent;
  }
  return before !== undefined && driftFindings(root, renderOf(root, fleet)).length > 0 ? before : undefined;
}
