/** `seal`: credentials from the environment or stdin (never arguments) into SealedSecrets. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { Scope } from '../secrets/crypto.js';
import { SEAL_TARGETS, type SealTarget } from '../repo/seal.js';
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
    .description('seal the registry credentials (CALISTI_USERNAME / CALISTI_PASSWORD) or the dashboard\'s OIDC client secret (CALISTI_OIDC_CLIENT_SECRET) into SealedSecrets, or from stdin')
    .requiredOption('--cert <file>', 'the sealed-secrets controller certificate (kubeseal --fetch-cert)')
    .addOption(dirOption())
    .option('--cluster <names>', 'comma-separated clusters whose pull secret or OIDC client secret to seal (default: all)')
    .option('--target <targets>', 'comma-separated: registry, chart-repository, oidc', 'registry,chart-repository')
    .option('--scope <scope>', 'strict, namespace-wide or cluster-wide', 'strict')
    .option('--password-stdin', 'read the password (with --target oidc alone: the OIDC client secret) from stdin', false)
    .option('--password-file <file>', 'read the password (with --target oidc alone: the OIDC client secret) from a file')
    .option('--commit', 'commit the sealed values', false)
    .addOption(formatOption())
    .addHelpText('after', '\nExamples:\n  $ calisti-gitops seal --cert cert.pem --commit    # CALISTI_USERNAME and CALISTI_PASSWORD exported, never arguments\n  $ calisti-gitops seal --cert wc1.pem --cluster workload-cluster-1 --target registry --password-stdin < pw.txt\n  $ calisti-gitops seal --cert wc1.pem --cluster workload-cluster-1 --target oidc --commit    # CALISTI_OIDC_CLIENT_SECRET exported')
    .action(async (o: { cert: string; dir: string; cluster?: string; target: string; scope: string; passwordStdin: boolean; passwordFile?: string; commit: boolean; output: string }) => {
      const targets = o.target.split(',').map((t) => t.trim()) as SealTarget[];
      for (const t of targets) if (!SEAL_TARGETS.includes(t)) throw new UserError(`unknown --target ${t}; use ${SEAL_TARGETS.join(', ')}`);
      const oidcOnly = targets.every((t) => t === 'oidc');
      if (!['strict', 'namespace-wide', 'cluster-wide'].includes(o.scope)) throw new UserError(`unknown --scope ${o.scope}; use strict, namespace-wide or cluster-wide`);
      let cert: Buffer;
      try {
        cert = readFileSync(o.cert);
      } catch (e) {
        throw new UserError(`cannot read --cert ${o.cert}: ${(e as NodeJS.ErrnoException).code}`);
      }
      // stdin or the file give the one secret asked for: the OIDC client secret with --target oidc alone, else the registry password.
      const given = o.passwordStdin ? await readStdin() : o.passwordFile ? readSecretFile(o.passwordFile) : undefined;
      const username = env.CALISTI_USERNAME ?? '';
      const password = (oidcOnly ? undefined : given) ?? env.CALISTI_PASSWORD ?? '';
      const oidcClientSecret = (oidcOnly ? given : undefined) ?? env.CALISTI_OIDC_CLIENT_SECRET ?? '';
      if (!oidcOnly) {
        if (!username) throw new UserError('CALISTI_USERNAME is not set', 'export CALISTI_USERNAME=<your Calisti username> (from the Calisti download page)');
        if (!password) throw new UserError(o.passwordStdin ? 'no password on stdin' : 'CALISTI_PASSWORD is not set', 'export CALISTI_PASSWORD, or pipe it with --password-stdin');
      }
      if (targets.includes('oidc') && !oidcClientSecret) throw new UserError(o.passwordStdin && oidcOnly ? 'no OIDC client secret on stdin' : 'CALISTI_OIDC_CLIENT_SECRET is not set', 'export CALISTI_OIDC_CLIENT_SECRET, or pipe it with --target oidc --password-stdin');
      const r = await (await import('../repo/seal.js')).runSeal({
        dir: o.dir,
        cert,
        clusters: o.cluster?.split(',').map((c) => c.trim()).filter(Boolean),
        targets,
        scope: o.scope as Scope,
        commit: o.commit,
        credentials: { username, password, oidcClientSecret },
      });
      if (o.output === 'json') return printJson(io, r);
      for (const s of r.sealed) io.err(`sealed ${s.namespace}/${s.name} for ${s.cluster} (${s.keys.join(', ')})`);
      io.err(r.commit ? `committed ${r.commit.slice(0, 12)}` : 'not committed: review with git diff, then commit (or use --commit)');
    });
}
