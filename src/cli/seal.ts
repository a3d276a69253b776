/** `seal`: credentials from the environment or stdin (never arguments) into SealedSecrets. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError, UserError } from '../errors.js';
import type { Scope } from '../secrets/crypto.js';
import { SEAL_TARGETS, type SealTarget } from '../secrets/targets.js';
import { dirOption, formatOption } from './options.js';
import { printJson, type Io } from './output.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** A password file's first line; the error names the file, never its content. */
function readSecretFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (e) {
    throw new UserError(`cannot read --password-file ${path}: ${(e as NodeJS.ErrnoException).code}`);
  }
}

export function registerSeal(program: Command, io: Io, env: NodeJS.ProcessEnv = process.env): void {
  program
    .command('seal')
    .description(
      "seal credentials into SealedSecrets: the registry's (CALISTI_USERNAME / CALISTI_PASSWORD), this repo's for Argo CD (CALISTI_GIT_USERNAME / CALISTI_GIT_PASSWORD) or the dashboard's OIDC client secret (CALISTI_OIDC_CLIENT_SECRET), or from stdin",
    )
    .requiredOption('--cert <file>', 'the sealed-secrets controller certificate (kubeseal --fetch-cert)')
    .addOption(dirOption())
    .option('--cluster <names>', 'comma-separated clusters whose pull secret or OIDC client secret to seal (default: all)')
    .option('--target <targets>', `comma-separated: ${SEAL_TARGETS.join(', ')}`, 'registry,chart-repository')
    .option('--scope <scope>', 'strict, namespace-wide or cluster-wide', 'strict')
    .option('--password-stdin', 'read the password (with --target oidc alone: the OIDC client secret) from stdin', false)
    .option('--password-file <file>', 'read the password (with --target oidc alone: the OIDC client secret) from a file')
    .option('--commit', 'commit the sealed values', false)
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ calisti-gitops seal --cert cert.pem --commit    # CALISTI_USERNAME and CALISTI_PASSWORD exported, never arguments\n  $ calisti-gitops seal --cert wc1.pem --cluster workload-cluster-1 --target registry --password-stdin < pw.txt\n  $ calisti-gitops seal --cert wc1.pem --cluster workload-cluster-1 --target oidc --commit    # CALISTI_OIDC_CLIENT_SECRET exported\n  $ calisti-gitops seal --cert management.pem --target git-repository --commit    # CALISTI_GIT_USERNAME and CALISTI_GIT_PASSWORD (a read token)',
    )
    .action(
      async (o: {
        cert: string;
        dir: string;
        cluster?: string;
        target: string;
        scope: string;
        passwordStdin: boolean;
        passwordFile?: string;
        commit: boolean;
        output: string;
      }) => {
        const targets = o.target.split(',').map((t) => t.trim()) as SealTarget[];
        for (const t of targets) if (!SEAL_TARGETS.includes(t)) throw new UserError(`unknown --target ${t}; use ${SEAL_TARGETS.join(', ')}`);
        const oidcOnly = targets.every((t) => t === 'oidc');
        const gitOnly = targets.every((t) => t === 'git-repository');
        const needGit = targets.includes('git-repository');
        const needRegistry = targets.some((t) => t === 'registry' || t === 'chart-repository');
        if ((o.passwordStdin || o.passwordFile !== undefined) && needGit && !gitOnly)
          throw new UsageError('--password-stdin and --password-file give one secret: seal --target git-repository in a run of its own');
        if (!['strict', 'namespace-wide', 'cluster-wide'].includes(o.scope))
          throw new UserError(`unknown --scope ${o.scope}; use strict, namespace-wide or cluster-wide`);
        let cert: Buffer;
        try {
          cert = readFileSync(o.cert);
        } catch (e) {
          throw new UserError(`cannot read --cert ${o.cert}: ${(e as NodeJS.ErrnoException).code}`);
        }
        // stdin or the file give the one secret asked for: the OIDC client secret with --target oidc alone, the git token with --target git-repository alone, else the registry password.
        const given = o.passwordStdin ? await readStdin() : o.passwordFile ? readSecretFile(o.passwordFile) : undefined;
        const username = env.CALISTI_USERNAME ?? '';
        const password = (oidcOnly || gitOnly ? undefined : given) ?? env.CALISTI_PASSWORD ?? '';
        const oidcClientSecret = (oidcOnly ? given : undefined) ?? env.CALISTI_OIDC_CLIENT_SECRET ?? '';
        if (needRegistry) {
          if (!username) throw new UserError('CALISTI_USERNAME is not set', 'export CALISTI_USERNAME=<your Calisti username> (from the Calisti download page)');
          if (!password)
            throw new UserError(
              o.passwordStdin ? 'no password on stdin' : 'CALISTI_PASSWORD is not set',
              'export CALISTI_PASSWORD, or pipe it with --password-stdin',
            );
        }
        if (targets.includes('oidc') && !oidcClientSecret)
          throw new UserError(
            o.passwordStdin && oidcOnly ? 'no OIDC client secret on stdin' : 'CALISTI_OIDC_CLIENT_SECRET is not set',
            'export CALISTI_OIDC_CLIENT_SECRET, or pipe it with --target oidc --password-stdin',
          );
        const git = { username: env.CALISTI_GIT_USERNAME ?? '', password: (gitOnly ? given : undefined) ?? env.CALISTI_GIT_PASSWORD ?? '' };
        if (needGit && !git.username)
          throw new UserError('CALISTI_GIT_USERNAME is not set', 'export CALISTI_GIT_USERNAME=<a user that can read this repository>');
        if (needGit && !git.password)
          throw new UserError(
            o.passwordStdin ? 'no token on stdin' : 'CALISTI_GIT_PASSWORD is not set',
            'export CALISTI_GIT_PASSWORD (a token that can read the repository), or pipe it with --target git-repository --password-stdin',
          );
        const r = await (await import('../repo/seal.js')).runSeal({
          dir: o.dir,
          cert,
          clusters: o.cluster
            ?.split(',')
            .map((c) => c.trim())
            .filter(Boolean),
          targets,
          scope: o.scope as Scope,
          commit: o.commit,
          credentials: { username, password, oidcClientSecret },
          gitCredentials: needGit ? git : undefined,
        });
        if (o.output === 'json') return printJson(io, r);
        for (const s of r.sealed) io.err(`sealed ${s.namespace}/${s.name} for ${s.cluster} (${s.keys.join(', ')})`);
        io.err(r.commit ? `committed ${r.commit.slice(0, 12)}` : 'not committed: review with git diff, then commit (or use --commit)');
      },
    );
}
