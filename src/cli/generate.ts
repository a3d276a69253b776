/** `init` and `generate`: flags in, runInit/runGenerate, a summary out. */
import type { Command } from 'commander';
import type { GenerateResult } from '../repo/generate.js';
import { EXAMPLES } from '../toolkit.js';
import { printJson, type Format, type Io } from './output.js';
import { dirOption, formatOption, noCommitOption } from './options.js';
import { terminalProgress } from './progress.js';

function report(io: Io, format: Format, r: GenerateResult, verb: string): void {
  if (format === 'json') return printJson(io, r);
  for (const w of r.warnings) io.err(`warning: ${w}`);
  if (r.kept.length) io.err(`kept as edited by hand (the model does not change them): ${r.kept.join(', ')}`);
  for (const d of r.discarded) io.err(`discarded hand edit (--force): ${d.path}: ${d.resource} ${d.field}`);
  if (!r.changed) {
    io.err(`${verb}: no change (${r.unchanged} files up to date)`);
    return;
  }
  const lines = [
    ...r.created.map((p) => `  + ${p}`),
    ...r.updated.map((p) => `  ~ ${p}`),
    ...r.merged.map((p) => `  ~ ${p} (merged with your edits)`),
    ...r.restored.map((p) => `  ! ${p} (restored: it had been deleted)`),
    ...r.deleted.map((p) => `  - ${p}`),
  ];
  io.err(
    `${verb}: ${r.created.length} created, ${r.updated.length} updated, ${r.merged.length} merged, ${r.restored.length} restored, ${r.deleted.length} deleted, ${r.unchanged} unchanged`,
  );
  io.err(lines.join('\n'));
  io.err(r.commit ? `committed ${r.commit.slice(0, 12)} in ${r.dir}` : `not committed: review with git -C ${r.dir} diff, then commit`);
}

export function registerGenerate(program: Command, io: Io): void {
  program
    .command('init')
    .description('create a calisti-gitops repo: git init, calisti.yaml, every generated file, one commit')
    .argument('<dir>', 'folder for the repo (created if missing)')
    .option('--example <name>', `start from an example: ${EXAMPLES.join(', ')} (default: multi-cluster)`)
    .option('-f, --file <model>', 'start from this calisti.yaml instead of an example')
    .option('--path <folder>', 'keep the tree in this folder of the repository at <dir> (a monorepo); every Argo CD source path starts with it (git.path)')
    .option(
      '--force',
      'in an existing repository, overwrite its files that calisti-gitops also writes (its README is otherwise kept, and the generated one is CALISTI-GITOPS.md)',
      false,
    )
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ calisti-gitops init ./calisti-gitops --example multi-cluster\n  $ git clone https://github.com/me/calisti-gitops.git && calisti-gitops init ./calisti-gitops    # git.repoURL from origin\n  $ calisti-gitops init ./platform --path deploy/calisti    # a folder of a monorepo',
    )
    .action(async (dir: string, o: { example?: string; file?: string; path?: string; force: boolean; output: Format }) => {
      report(
        io,
        o.output,
        await (await import('../repo/init.js')).runInit({ dir, example: o.example, modelPath: o.file, path: o.path, force: o.force }),
        'init',
      );
    });

  program
    .command('generate')
    .description('render the repo from calisti.yaml, merging hand edits; refuses conflicting ones unless --force')
    .addOption(dirOption())
    .option('-f, --file <model>', 'model to use (copied to calisti.yaml); default: <repo>/calisti.yaml')
    .addOption(noCommitOption())
    .option('--force', "take the model's version of every hand-edited generated file", false)
    .option(
      '--allow-destructive',
      "consent to changes that make Argo CD delete things on the clusters (a removed cluster's Applications, Namespaces, CRDs, control planes)",
      false,
    )
    .option('-q, --quiet', 'no progress line', false)
    .addOption(formatOption())
    .addHelpText('after', '\nExamples:\n  $ calisti-gitops generate -C ./calisti-gitops\n  $ calisti-gitops generate -C ./calisti-gitops --no-commit -o json')
    .action(async (o: { dir: string; file?: string; commit: boolean; force: boolean; allowDestructive: boolean; quiet: boolean; output: Format }) => {
      // Nothing changed since a generate that found nothing to do: answer before loading the writer.
      const noop = await import('../repo/noop.js');
      const remembered = o.file ? undefined : noop.rememberedNoop(o.dir, noop.noopOptions(o));
      if (remembered) return report(io, o.output, remembered, 'generate');
      const progress = terminalProgress({ quiet: o.quiet, format: o.output });
      const r = await (await import('../repo/generate.js'))
        .runGenerate({ dir: o.dir, modelPath: o.file, commit: o.commit, force: o.force, allowDestructive: o.allowDestructive, onProgress: progress.report })
        .finally(progress.end);
      report(io, o.output, r, 'generate');
    });
}
