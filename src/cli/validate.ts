/** `validate`: check a repo before push, as Argo CD, Kustomize and the clusters would. */
import { execFileSync } from 'node:child_process';
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
    .option('--crds <path>', "a CRD file or folder (e.g. Argo CD's manifests/crds); repeat for more", (v: string, all: string[]) => [...all, v], [] as string[])
    .option(
      '--root <path>',
      'where Argo CD starts applying (a kustomization, folder or Application file, relative to the repo); only what it reaches is validated. Default: bootstrap/. Any Argo CD repo validates with it, calisti.yaml or not',
    )
    .option('--shard <i/n>', 'validate only the clusters of shard i of n (a CI matrix); write -o json and combine the shards with --merge')
    .option('--merge <json...>', 'combine the -o json reports of every --shard of one run into the report one run gives')
    .option(
      '--base <ref>',
      'compare the model with this commit for the upgrade rules (default: the upstream merge base, else the model before its last change)',
    )
    .option('--no-cache', 'do not read or write the build cache or remembered models (.git/calisti-gitops)')
    .option(
      '--allow-remote',
      'build kustomizations with remote resources or git bases (kustomize fetches them; off by default: a pull request would choose what CI connects to)',
      false,
    )
    .option('-v, --verbose', 'show notes too', false)
    .option('-q, --quiet', 'print only the summary line', false)
    .option('--install-hook', 'install a git pre-push hook that runs validate --strict', false)
    .addOption(formatOption(['text', 'json', 'sarif']))
    .addHelpText(
      'after',
      '\nExamples:\n  $ calisti-gitops validate -C ./calisti-gitops\n  $ calisti-gitops validate --strict --crds ../argo-cd/manifests/crds -o sarif > validate.sarif\n  $ calisti-gitops validate --shard 1/4 -o json > shard-1.json   # ... one job per shard, then:\n  $ calisti-gitops validate --merge shard-*.json -o sarif > validate.sarif',
    )
    .action(
      async (
        repo: string | undefined,
        o: {
          dir: string;
          strict: boolean;
          crds: string[];
          base?: string;
          root?: string;
          shard?: string;
          merge?: string[];
          cache: boolean;
          allowRemote: boolean;
          verbose: boolean;
          quiet: boolean;
          installHook: boolean;
          output: string;
        },
      ) => {
        if (repo !== undefined && o.dir !== '.' && repo !== o.dir) throw new UsageError(`two repos given: ${repo} and -C ${o.dir}`);
        if (repo !== undefined) o.dir = repo;
        if (o.installHook) return installHook(io, o.dir, o.crds);
        if (o.shard && o.merge) throw new UsageError('--shard and --merge are separate steps: run the shards, then merge their JSON');
        const { formatText, toJson, toSarif } = await import('../validate/report.js');
        let report: import('../validate/index.js').ValidateReport;
        if (o.merge) report = (await import('../validate/index.js')).mergeValidateReports(resolve(o.dir), await readShards(o.merge));
        else {
          const shard = o.shard ? (await import('../validate/shard.js')).parseShard(o.shard) : undefined;
          const progress = terminalProgress({ quiet: o.quiet, format: o.output });
          report = await (await import('../validate/memo.js'))
            .validateRepo({
              dir: o.dir,
              strict: o.strict,
              crds: o.crds,
              cacheDir: o.cache ? undefined : null,
              allowRemote: o.allowRemote,
              base: o.base,
              root: o.root,
              shard,
              onProgress: progress.report,
            })
            .finally(progress.end);
        }
        if (o.output === 'json') printJson(io, toJson(report));
        else if (o.output === 'sarif') printJson(io, toSarif(report));
        else io.err(formatText(report, o.verbose, o.quiet, (await import('./colour.js')).painter()));
        if (!report.ok) throw new ExitCode(1);
      },
    );
}

async function readShards(files: string[]) {
  const { ShardReport } = await import('../validate/shard.js');
  return files.map((file) => {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`--merge ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const parsed = ShardReport.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(
        `--merge ${file}: not the -o json report of a validate --shard run (${issue.path.join('.') || 'top level'}: ${issue.message})`,
        'calisti-gitops validate --shard 1/2 -o json > shard-1.json',
      );
    }
    return { file, report: parsed.data };
  });
}

/**
 * The pre-push hook: validates each commit being pushed (not the working tree) in a temporary worktree,
 * comparing the model with what the remote has for the upgrade rules. It runs the calisti-gitops on PATH,
 * else the project's own through npx, so it keeps working when the tool moves or is upgraded.
 */
function hookScript(crds: string[]): string {
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const crdArgs = crds.map((c) => ` --crds ${q(resolve(c))}`).join('');
  return `#!/bin/sh
${HOOK_MARK}: nothing half-done (unsealed placeholders, warnings) is pushed.
# Reinstall with: calisti-gitops validate --install-hook
if command -v calisti-gitops >/dev/null 2>&1; then set -- calisti-gitops
else set -- npx --no-install calisti-gitops
fi
zero=0000000000000000000000000000000000000000
status=0
while read -r local_ref local_sha remote_ref remote_sha; do
  case "$local_sha" in *[!0]*) ;; *) continue ;; esac  # a deleted ref: nothing to check
  tree=$(mktemp -d "\${TMPDIR:-/tmp}/calisti-pre-push.XXXXXX") || exit 1
  git worktree add --quiet --detach "$tree" "$local_sha" || { rmdir "$tree"; exit 1; }
  case "$remote_sha" in *[!0]*) base="--base=$remote_sha" ;; *) base= ;; esac
  echo "calisti-gitops: validating $local_ref ($local_sha)" >&2
  "$@" validate --strict -C "$tree" $base${crdArgs} || status=1
  git worktree remove --force "$tree"
done
exit $status
`;
}

function installHook(io: Io, dir: string, crds: string[]): void {
  const root = resolve(dir);
  let hooks: string;
  try {
    // Honours core.hooksPath, and linked worktrees.
    hooks = resolve(
      root,
      execFileSync('git', ['-C', root, 'rev-parse', '--git-path', 'hooks'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
  } catch {
    throw new UserError(`${root} is not a git repository`);
  }
  const hook = join(hooks, 'pre-push');
  if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(HOOK_MARK)) {
    throw new UserError(`${hook} exists and was not written by calisti-gitops`, 'merge it by hand: add a line running calisti-gitops validate --strict');
  }
  mkdirSync(hooks, { recursive: true });
  writeFileSync(hook, hookScript(crds));
  chmodSync(hook, 0o755);
  io.err(`installed ${hook}`);
}
