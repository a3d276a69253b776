/**
 * runUpgrade: one supported Calisti upgrade, unattended. The model changes (calisti.version, and on
 * an Istio minor change the old control plane kept with every workload pinned to it), the repo is
 * regenerated from it, and the follow-ups GitOps cannot do are listed.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { which } from '../kustomize/build.js';
import { blueprintFor } from '../model/blueprint.js';
import { ModelEdit } from '../model/edit.js';
import { runDiff, type DiffReport } from '../diff/index.js';
import type { ClusterDiff } from '../diff/resources.js';
import { MODEL_FILE, VENDORED_CHART_DIR } from '../render/layout.js';
import { committedFile, git } from '../repo/git.js';
import { runGenerate } from '../repo/generate.js';
import { parseFleet } from '../model/load.js';
import { applyModelEdit, withRepoModel } from './apply.js';
import { modelBeforeBump } from './bot-bump.js';
import { checkUpgrade } from './path.js';
import { UPGRADE_STEPS } from './steps/registry.js';

export interface UpgradeOptions {
  dir: string;
  to: string;
  commit: boolean;
  branch?: string;
  /** Upgrade only this ring's clusters (calisti.yaml rings). */
  ring?: string;
}

export interface UpgradeResult {
  from: string;
  to: string;
  changed: boolean;
  upToDate: boolean;
  commit: string | null;
  branch: string | null;
  steps: string[];
  files: string[];
  clusters: Record<string, ClusterDiff>;
  followUps: string[];
  /** What the upgrade changes in the repo, as `diff` reports it (for the markdown comment; not in the JSON). */
  preview?: DiffReport;
}

export const upgradeMessage = (from: string, to: string, ring?: string) => `chore(calisti): upgrade ${from} -> ${to}${ring ? ` (ring ${ring})` : ''}`;

export async function runUpgrade(opts: UpgradeOptions): Promise<UpgradeResult> {
  return withRepoModel(
    opts.dir,
    async (model) => {
      const { root } = model;
      // calisti.version bumped alone (by Renovate, whose post-upgrade task runs this): the step is made
      // from the model before the bump, which the upgrade's own edit then replaces.
      const beforeBump = opts.ring === undefined ? await modelBeforeBump(root, model.text, model.fleet, opts.to) : undefined;
      const text = beforeBump ?? model.text;
      const fleet = beforeBump === undefined ? model.fleet : parseFleet(beforeBump, MODEL_FILE);
      const index = opts.ring === undefined ? -1 : fleet.rings.findIndex((r) => r.name === opts.ring);
      if (opts.ring !== undefined && index < 0) {
        throw new UserError(
          `no ring "${opts.ring}" in calisti.yaml`,
          fleet.rings.length
            ? `rings are: ${fleet.rings.map((r) => r.name).join(', ')}`
            : 'group the clusters first, e.g. rings: [{ name: canary, clusters: [<cluster>] }, { name: rest, clusters: [...] }]',
        );
      }
      const ring = index < 0 ? undefined : { index, name: opts.ring! };
      const from = ring ? (fleet.rings[index]!.version ?? fleet.calisti.version) : fleet.calisti.version;
      const kind = checkUpgrade(from, opts.to);
      const result: UpgradeResult = {
        from,
        to: opts.to,
        changed: false,
        upToDate: kind === 'none',
        commit: null,
        branch: null,
        steps: [],
        files: [],
        clusters: {},
        followUps: [],
      };
      // The commit holds the upgrade and nothing else: other edits of calisti.yaml are the user's.
      const committed = await committedFile(root, MODEL_FILE);
      if (beforeBump === undefined && committed !== undefined && committed !== text) {
        const headVersion = parseFleet(committed, `HEAD:${MODEL_FILE}`).calisti.version;
        if (kind === 'none' && headVersion !== from && (opts.commit || opts.branch)) {
          // An upgrade run earlier with --no-commit: commit it now (its own change only).
          const r = await runGenerate({ dir: root, commit: true, force: false, message: upgradeMessage(headVersion, opts.to) });
          return {
            ...result,
            from: headVersion,
            upToDate: false,
            changed: true,
            commit: r.commit,
            steps: [`committed the pending upgrade ${headVersion} -> ${opts.to}`],
          };
        }
        if (kind !== 'none') {
          const changed = changedLines(committed, text);
          throw new UserError(
            `calisti.yaml has uncommitted changes (${changed}); upgrade commits only its own change`,
            `commit or stash them first: git -C ${root} stash (or git -C ${root} commit calisti.yaml)`,
          );
        }
      }
      if (kind === 'none') return result;

      // Every step plans purely; the plans are applied below, in one place.
      const input = { fleet, from, to: opts.to, fromBp: blueprintFor(from), toBp: blueprintFor(opts.to), ring };
      const plans = UPGRADE_STEPS.map((step) => step.plan(input));
      const edit = new ModelEdit(text);
      for (const c of plans.flatMap((p) => p.changes)) {
        if (c.op === 'set') edit.set(c.path, c.value);
        else if (c.op === 'delete') edit.delete(c.path);
        else edit.append(c.path, c.value);
      }
      result.steps.push(...plans.flatMap((p) => p.steps));
      result.followUps.push(...plans.flatMap((p) => p.followUps));
      const chart = plans.find((p) => p.pullChart)?.pullChart;

      const preview = await runDiff({ dir: root, modelText: edit.text() });
      result.files = preview.files.map((f) => f.path);
      result.clusters = preview.clusters;
      result.preview = preview;

      const restoreBranch = opts.branch ? await switchBranch(root, opts.branch) : undefined;
      try {
        const restoreChart = chart ? await pullChart(root, chart.repository, chart.name, chart.version) : undefined;
        let r: Awaited<ReturnType<typeof applyModelEdit>>;
        try {
          r = await applyModelEdit(root, edit, {
            commit: opts.commit,
            message: upgradeMessage(from, opts.to, ring?.name),
            extraPaths: chart ? [VENDORED_CHART_DIR] : [],
          });
        } catch (e) {
          restoreChart?.();
          throw e;
        } finally {
          restoreChart?.discard();
        }
        result.changed = r.changed;
        result.commit = r.commit;
        result.branch = opts.branch ?? null;
      } catch (e) {
        await restoreBranch?.();
        throw e;
      }
      return result;
    },
    { gate: false },
  );
}

/** The lines of calisti.yaml that differ from HEAD's, for a message. */
function changedLines(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const lines: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && lines.length < 3; i++)
    if (a[i] !== b[i]) lines.push(`line ${i + 1}: ${JSON.stringify((b[i] ?? '').trim())}`);
  return lines.join(', ');
}

/** Creates or resets `branch` at HEAD and checks it out; returns how to undo that. */
async function switchBranch(root: string, branch: string): Promise<() => Promise<void>> {
  const g = git(root);
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..')) throw new UserError(`"${branch}" is not a branch name`);
  const previous = (await g.raw(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  const oldTip = (await g.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).catch(() => '')).trim();
  await g.raw(['checkout', '--quiet', '-B', branch]);
  return async () => {
    await g.raw(['checkout', '--quiet', previous]).catch(() => undefined);
    if (oldTip) await g.raw(['branch', '--quiet', '-f', branch, oldTip]).catch(() => undefined);
    else await g.raw(['branch', '--quiet', '-D', branch]).catch(() => undefined);
  };
}

/**
 * Replaces the vendored chart with the release's, via helm pull (argument array, no shell). Returns
 * how to put the old chart back if the rest of the upgrade fails.
 */
async function pullChart(root: string, repository: string, name: string, version: string): Promise<(() => void) & { discard: () => void }> {
  const helm = which('helm')!;
  const tmp = mkdtempSync(join(tmpdir(), 'calisti-chart-'));
  const dest = join(root, VENDORED_CHART_DIR);
  const backup = mkdtempSync(join(tmpdir(), 'calisti-chart-old-'));
  if (existsSync(dest)) cpSync(dest, join(backup, 'chart'), { recursive: true });
  const restore = Object.assign(
    () => {
      rmSync(dest, { recursive: true, force: true });
      if (existsSync(join(backup, 'chart'))) cpSync(join(backup, 'chart'), dest, { recursive: true });
      rmSync(backup, { recursive: true, force: true });
    },
    { discard: () => rmSync(backup, { recursive: true, force: true }) },
  );
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(helm, ['pull', `oci://${repository}/${name}`, '--version', version, '--untar', '--destination', tmp], (err, _out, stderr) =>
        err
          ? reject(
              new UserError(`helm pull ${name} ${version} failed: ${stderr.trim() || err.message}`, 'log in first: helm registry login registry.eticloud.io'),
            )
          : resolve(),
      ),
    );
    if (!existsSync(join(tmp, name, 'Chart.yaml'))) throw new UserError(`helm pull gave no ${name}/Chart.yaml`);
    rmSync(dest, { recursive: true, force: true });
    cpSync(join(tmp, name), dest, { recursive: true });
    return restore;
  } catch (e) {
    restore();
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
