/** `seal`: credentials from the environment or stdin (never arguments) into SealedSecrets. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError, UserError } from '../errors.js';
import type { Scope } from '../secrets/crypto.js';
import { SEAL_TARGETS, type Credentials, type SealTarget } from '../secrets/seal.js';
import { dirOption, formatOption } from './options.js';
import { printJson, type Io } from './output.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
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
    .description('seal credentials into SealedSecrets: the registry\'s (CALISTI_USERNAME / CALISTI_PASSWORD) and this repo\'s for Argo CD (CALISTI_GIT_USERNAME / CALISTI_GIT_PASSWORD), or the password from stdin')
    .requiredOption('--cert <file>', 'the sealed-secrets controller certificate (kubeseal --fetch-cert)')
    .addOption(dirOption())
    .option('--cluster <names>', 'comma-separated clusters whose pull secret to seal (default: all)')
    .option('--target <targets>', `comma-separated: ${SEAL_TARGETS.join(', ')}`, 'registry,chart-repository')
    .option('--scope <scope>', 'strict, namespace-wide or cluster-wide', 'strict')
    .option('--password-stdin', 'read the password from stdin instead of CALISTI_PASSWORD', false)
    .option('--password-file <file>', 'read the password from a file instead of CALISTI_PASSWORD')
    .option('--commit', 'commit the sealed values', false)
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ calisti-gitops seal --cert cert.pem --commit    # CALISTI_USERNAME and CALISTI_PASSWORD exported, never arguments\n  $ calisti-gitops seal --cert wc1.pem --cluster workload-cluster-1 --target registry --password-stdin < pw.txt\n  $ calisti-gitops seal --cert management.pem --target git-repository --commit    # CALISTI_GIT_USERNAME and CALISTI_GIT_PASSWORD (a read token)',
    )
    .action(async (o: { cert: string; dir: string; cluster?: string; target: string; scope: string; passwordStdin: boolean; passwordFile?: string; commit: boolean; output: string }) => {
      const targets = o.target.split(',').map((t) => t.trim()) as SealTarget[];
      for (const t of targets) if (!(SEAL_TARGETS as readonly string[]).includes(t)) throw new UserError(`unknown --target ${t}; use ${SEAL_TARGETS.join(', ')}`);
      if (!['strict', 'namespace-wide', 'cluster-wide'].includes(o.scope)) throw new UserError(`unknown --scope ${o.scope}; use strict, namespace-wide or cluster-wide`);
      let cert: Buffer;
      try {
        cert = readFileSync(o.cert);
      } catch (e) {
        throw new UserError(`cannot read --cert ${o.cert}: ${(e as NodeJS.ErrnoException).code}`);
      }
      const needGit = targets.includes('git-repository');
      const needRegistry = targets.some((t) => t !== 'git-repository');
      const piped = o.passwordStdin || o.passwordFile !== undefined;
      if (piped && needGit && needRegistry) throw new UsageError('--password-stdin and --password-file give one password: seal --target git-repository in a run of its own');
      const readPassword = async (variable: string) => (o.passwordStdin ? await readStdin() : o.passwordFile ? readSecretFile(o.passwordFile) : env[variable] ?? '');
      const credentials = async (user: string, pass: string, what: string): Promise<Credentials> => {
        const username = env[user] ?? '';
        const password = await readPassword(pass);
        if (!username) throw new UserError(`${user} is not set`, `export ${user}=<${what}>`);
        if (!password) throw new UserError(o.passwordStdin ? 'no password on stdin' : `${pass} is not set`, `export ${pass}, or pipe it with --password-stdin`);
        return { username, password };
      };
      const r = await (await import('../secrets/seal.js')).runSeal({
        dir: o.dir,
        cert,
        clusters: o.cluster?.split(',').map((c) => c.trim()).filter(Boolean),
        targets,
        scope: o.scope as Scope,
        commit: o.commit,
        credentials: needRegistry ? await credentials('CALISTI_USERNAME', 'CALISTI_PASSWORD', 'your Calisti username (from the Calisti download page)') : undefined,
        gitCredentials: needGit ? await credentials('CALISTI_GIT_USERNAME', 'CALISTI_GIT_PASSWORD', 'a user that can read this repository') : undefined,
      });
      if (o.output === 'json') return printJson(io, r);
      for (const s of r.sealed) io.err(`sealed ${s.namespace}/${s.name} for ${s.cluster} (${s.keys.join(', ')})`);
      io.err(r.commit ? `committed ${r.commit.slice(0, 12)}` : 'not committed: review with git diff, then commit (or use --commit)');
    });
}
