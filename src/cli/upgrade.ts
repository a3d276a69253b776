/** `diff`, `upgrade`, `outdated` and `istio migrate|prune`: thin flag parsing over the stages. */
import type { Command } from 'commander';
import { ExitCode, UsageError, UserError } from '../errors.js';
import { refString } from '../validate/findings.js';
import type { IstioResult } from '../upgrade/istio.js';
import type { RingStatus } from '../upgrade/rollout.js';
import type { UpgradeResult } from '../upgrade/index.js';
import { dirOption, formatOption } from './options.js';
import { printJson, type Io } from './output.js';

export function registerUpgrade(program: Command, io: Io): void {
  program
    .command('diff')
    .description('what generate would change: file diffs and, per cluster, resources added/removed/changed; exit 0 none, 1 changes, 2 error')
    .addOption(dirOption())
    .option('-f, --file <model>', 'model to compare with; default: <repo>/calisti.yaml')
    .addOption(formatOption(['text', 'json', 'markdown']))
    .addHelpText('after', '\nExamples:\n  $ calisti-gitops diff -C ./calisti-gitops\n  $ calisti-gitops diff -f proposed.yaml -o markdown > comment.md')
    .action(async (o: { dir: string; file?: string; output: string }) => {
      let r: Awaited<ReturnType<typeof import('../diff/index.js').runDiff>>;
      try {
        r = await (await import('../diff/index.js')).runDiff({ dir: o.dir, modelPath: o.file });
      } catch (e) {
        // As `flux diff`: an error is exit 2, so 1 always means "there are changes".
        if (e instanceof UserError) throw new UsageError(e.message, e.hint);
        throw e;
      }
      if (o.output === 'json') printJson(io, r);
      else if (o.output === 'markdown') io.out((await import('../diff/report.js')).diffMarkdown(r));
      else io.out((await import('../diff/report.js')).diffText(r));
      if (r.changed) throw new ExitCode(1);
    });

  program
    .command('upgrade')
    .description('upgrade Calisti one supported step: model, chart, images, and a canary Istio control plane when its minor changes')
    .requiredOption('--to <version>', 'target Calisti version')
    .addOption(dirOption())
    .option('--commit', 'commit the upgrade as one commit', false)
    .option('--branch <name>', 'create (or reset to HEAD) this branch and upgrade there')
    .option('--ring <name>', 'upgrade only the clusters of this ring (calisti.yaml rings), canary first; the last ring brings calisti.version along')
    .addOption(formatOption(['text', 'json', 'markdown']))
    .addHelpText(
      'after',
      '\nExamples:\n  $ calisti-gitops upgrade --to 1.12.0 -C ./calisti-gitops --commit\n  $ calisti-gitops upgrade --to 1.12.0 --commit --branch calisti/upgrade-1.12.0 -o json\n  $ calisti-gitops upgrade --to 1.12.0 --commit -o markdown > comment.md   # the pull-request comment, with the fleet before and after\n  $ calisti-gitops upgrade --to 1.12.0 --ring canary --commit    # then --ring rest, once canary is healthy',
    )
    .action(async (o: { to: string; dir: string; commit: boolean; branch?: string; ring?: string; output: string }) => {
      const r = await (await import('../upgrade/index.js')).runUpgrade({ dir: o.dir, to: o.to, commit: o.commit, branch: o.branch, ring: o.ring });
      if (o.output === 'json')
        return printJson(io, {
          from: r.from,
          to: r.to,
          changed: r.changed,
          commit: r.commit,
          branch: r.branch,
          steps: r.steps,
          files: r.files,
          clusters: r.clusters,
          followUps: r.followUps,
        });
      if (o.output === 'markdown') return io.out((await import('../upgrade/markdown.js')).upgradeMarkdown(r));
      io.err(upgradeText(r));
    });

  program
    .command('outdated')
    .description("the repo's Calisti, chart and Istio versions against the newest supported upgrade")
    .addOption(dirOption())
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ calisti-gitops outdated -C ./calisti-gitops -o json')
    .action(async (o: { dir: string; output: string }) => {
      const r = await (await import('../upgrade/outdated.js')).runOutdated(o.dir);
      if (o.output === 'json') return printJson(io, r);
      io.out(table([['component', 'current', 'wanted', 'latest'], ...r.rows.map((x) => [x.component, x.current, x.wanted, x.latest])]));
      if (r.rings.length) io.out(`\n${table([['ring', 'clusters', 'calisti', 'istio', 'next'], ...r.rings.map(ringRow)])}`);
      for (const d of r.deployed)
        io.err(`the repo deploys ${d.deployed} where calisti.yaml says ${d.model} (${d.file} ${d.path}); validate fails on it (version/mismatch)`);
      if (r.nextRing) io.err(`next: ${r.nextRing.command}${r.nextRing.name === null ? ' (the clusters in no ring)' : ''}`);
      else if (r.next && !r.rings.length) io.err(`next: calisti-gitops upgrade --to ${r.next}`);
      if (r.pendingRevisions.length)
        io.err(`older Istio control planes still running: ${r.pendingRevisions.join(', ')} (finish with istio migrate, then istio prune)`);
    });

  const istio = program.command('istio').description('move namespaces between Istio control planes, and remove old ones');
  istio
    .command('migrate')
    .description("move namespaces (their istio.io/rev label, the demo app's revision, gateways) to another control plane")
    .requiredOption('--namespace <names>', 'comma-separated namespaces')
    .option('--to <revision>', 'target control plane, e.g. cp-v115x')
    .option('--rollback', 'move back to the older control plane', false)
    .option('--cluster <names>', 'comma-separated clusters: move the namespaces there only; the other clusters keep their control plane')
    .option('--ring <name>', "move the namespaces on this ring's clusters only (calisti.yaml rings)")
    .addOption(dirOption())
    .option('--no-commit', 'write the files but do not commit')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ calisti-gitops istio migrate --namespace smm-demo --to cp-v115x\n  $ calisti-gitops istio migrate --namespace smm-demo --to cp-v115x --ring canary   # then --ring rest, or every cluster without --ring\n  $ calisti-gitops istio migrate --namespace smm-demo --rollback',
    )
    .action(async (o: { namespace: string; to?: string; rollback: boolean; cluster?: string; ring?: string; dir: string; commit: boolean; output: string }) => {
      const list = (v: string) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      const r = await (await import('../upgrade/istio.js')).runMigrate({
        dir: o.dir,
        namespaces: list(o.namespace),
        to: o.to,
        rollback: o.rollback,
        clusters: o.cluster === undefined ? undefined : list(o.cluster),
        ring: o.ring,
        commit: o.commit,
      });
      report(io, o.output, r);
    });
  istio
    .command('prune')
    .description('remove older control planes that nothing on any cluster uses any more')
    .option('--revision <revision>', 'only this control plane')
    .addOption(dirOption())
    .option('--no-commit', 'write the files but do not commit')
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ calisti-gitops istio prune -C ./calisti-gitops')
    .action(async (o: { revision?: string; dir: string; commit: boolean; output: string }) => {
      report(io, o.output, await (await import('../upgrade/istio.js')).runPrune({ dir: o.dir, revision: o.revision, commit: o.commit }));
    });
}

/** Columns padded to their widest cell. */
function table(rows: string[][]): string {
  const width = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((c, i) => c.padEnd(width[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const ringRow = (x: RingStatus) => [x.name ?? '(no ring)', x.clusters.join(', '), x.calisti, x.revision, x.next ?? '-'];

function report(io: Io, format: string, r: IstioResult): void {
  if (format === 'json') return printJson(io, r);
  if (!r.changed) return io.err('no change');
  for (const m of r.moved) io.err(`moved namespace ${m.namespace} (${m.what}) on ${m.clusters.join(', ')}: ${m.from} -> ${m.to}`);
  for (const p of r.pruned) io.err(`removed control plane ${p}`);
  io.err(r.commit ? `committed ${r.commit.slice(0, 12)}` : 'not committed');
  if (r.followUps.length) io.err(`then, on the clusters (GitOps cannot restart pods):\n${r.followUps.map((f) => `  ${f}`).join('\n')}`);
}

function upgradeText(r: UpgradeResult): string {
  if (r.upToDate) return `up to date: Calisti ${r.to}`;
  const lines = [`upgrade ${r.from} -> ${r.to}:`, ...r.steps.map((s) => `  - ${s}`)];
  for (const [cluster, d] of Object.entries(r.clusters)) {
    lines.push(`  ${cluster}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`);
    for (const a of d.added) lines.push(`      + ${refString(a)}`);
    for (const c of d.changed) lines.push(`      ~ ${refString(c.resource)}`);
  }
  lines.push(r.commit ? `committed ${r.commit.slice(0, 12)}${r.branch ? ` on ${r.branch}` : ''}` : 'not committed (use --commit)');
  if (r.followUps.length) lines.push('follow-ups:', ...r.followUps.map((f) => `  - ${f}`));
  return lines.join('\n');
}
