/** `validate`: check a repo before push, as Argo CD, Kustomize and the clusters would. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UserError } from '../errors.js';
import { runValidate } from '../validate/index.js';
import { formatText, toJson, toSarif } from '../validate/report.js';
import { dirOption, formatOption } from './options.js';
import { terminalProgress } from './progress.js';
import { printJson, type Io } from './output.js';

const HOOK_MARK = '# calisti-gitops pre-push hook';

export function registerValidate(program: Command, io: Io): void {
  program
    .command('validate')
    .description('build every Application as Argo CD would and check schemas and mesh rules; exit 1 on errors')
    .addOption(dirOption())
    .option('--strict', 'warnings fail too (unsealed placeholders, kustomize warnings)', false)
    .option('--crds <path...>', 'more CRD files or folders (e.g. Argo CD\'s manifests/crds)', [])
    .option('--no-cache', 'do not read or write the build cache (.git/calisti-gitops)')
    .option('-v, --verbose', 'show notes too', false)
    .option('-q, --quiet', 'print only the summary line', false)
    .option('--install-hook', 'install a git pre-push hook that runs validate --strict', false)
    .addOption(formatOption(['text', 'json', 'sarif']))
    .addHelpText('after', '\nExamples:\n  $ calisti-gitops validate -C ./calisti-gitops\n  $ calisti-gitops validate --strict --crds ../argo-cd/manifests/crds -o sarif > validate.sarif')
    .action(async (o: { dir: string; strict: boolean; crds: string[]; cache: boolean; verbose: boolean; quiet: boolean; installHook: boolean; output: string }) => {
      if (o.installHook) return installHook(io, o.dir, o.crds);
      const progress = terminalProgress({ quiet: o.quiet, format: o.output });
      const report = await runValidate({ dir: o.dir, strict: o.strict, crds: o.crds, cacheDir: o.cache ? undefined : null, onProgress: progress.report }).finally(progress.end);
      if (o.output === 'json') printJson(io, toJson(report));
      else if (o.output === 'sarif') printJson(io, toSarif(report));
      else io.err(formatText(report, o.verbose, o.quiet));
      if (!report.ok) throw new ExitCode(1);
    });
}

function installHook(io: Io, dir: string, crds: string[]): void {
  const gitDir = join(resolve(dir), '.git');
  if (!existsSync(gitDir)) throw new UserError(`${resolve(dir)} is not the root of a git repository`);
  const hook = join(gitDir, 'hooks', 'pre-push');
  if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(HOOK_MARK)) {
    throw new UserError(`${hook} exists and was not written by calisti-gitops`, 'merge it by hand: add a line running calisti-gitops validate --strict');
  }
  const bin = resolve(process.argv[1] ?? 'calisti-gitops');
  const crdArgs = crds.map((c) => ` --crds '${resolve(c).replace(/'/g, `'\\''`)}'`).join('');
  mkdirSync(join(gitDir, 'hooks'), { recursive: true });
  writeFileSync(hook, `#!/bin/sh\n${HOOK_MARK}: nothing half-done (unsealed placeholders, warnings) is pushed.\nexec '${bin.replace(/'/g, `'\\''`)}' validate --strict -C "$(git rev-parse --show-toplevel)"${crdArgs}\n`);
  chmodSync(hook, 0o755);
  io.err(`installed ${hook}`);
}
