/** `validate`: check a repo before push, as Argo CD, Kustomize and the clusters would. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError, UserError } from '../errors.js';

import { dirOption, formatOption } from './options.js';
import { terminalProgress } from './progress.js';
import { printJson, type Io } from './output.js';

const HOOK_MARK = '# calisti-gitops pre-push hook';

export function registerValidate(program: Command, io: Io): void {
  program
    .command('validate')
    .description('build every Application as Argo CD would and check schemas, mesh rules, drift and versions; exit 1 on errors')
    .argument('[repo]', 'the repo to check (same as -C)')
    .addOption(dirOption())
    .option('--strict', 'warnings fail too (unsealed placeholders, kustomize warnings)', false)
    .option('--crds <path>', 'a CRD file or folder (e.g. Argo CD\'s manifests/crds); repeat for more', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--root <path>', 'where Argo CD starts applying (a kustomization, folder or Application file, relative to the repo); only what it reaches is validated. Default: bootstrap/. Any Argo CD repo validates with it, calisti.yaml or not')
    .option('--base <ref>', 'compare the model with this commit for the upgrade rules (default: the upstream merge base, else the model before its last change)')
    .option('--no-cache', 'do not read or write the build cache (.git/calisti-gitops)')
    .option('--allow-remote', 'build kustomizations with remote resources or git bases (kustomize fetches them; off by default: a pull request would choose what CI connects to)', false)
    .option('-v, --verbose', 'show notes too', false)
    .option('-q, --quiet', 'print only the summary line', false)
    .option('--install-hook', 'install a git pre-push hook that runs validate --strict', false)
    .addOption(formatOption(['text', 'json', 'sarif']))
    .addHelpText('after', '\nExamples:\n  $ calisti-gitops validate -C ./calisti-gitops\n  $ calisti-gitops validate --strict --crds ../argo-cd/manifests/crds -o sarif > validate.sarif')
    .action(async (repo: string | undefined, o: { dir: string; strict: boolean; crds: string[]; base?: string; root?: string; cache: boolean; allowRemote: boolean; verbose: boolean; quiet: boolean; installHook: boolean; output: string }) => {
      if (repo !== undefined && o.dir !== '.' && repo !== o.dir) throw new UsageError(`two repos given: ${repo} and -C ${o.dir}`);
      if (repo !== undefined) o.dir = repo;
      if (o.installHook) return installHook(io, o.dir, o.crds);
      const progress = terminalProgress({ quiet: o.quiet, format: o.output });
      const { formatText, toJson, toSarif } = await import('../validate/report.js');
      const report = await (await import('../validate/index.js')).runValidate({ dir: o.dir, strict: o.strict, crds: o.crds, cacheDir: o.cache ? undefined : null, allowRemote: o.allowRemote, base: o.base, root: o.root, onProgress: progress.report }).finally(progress.end);
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
