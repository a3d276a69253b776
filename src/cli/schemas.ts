/** `schemas pull`: fill the schema cache validate reads offline (istio-operator's CRDs, pinned by the release). */
import type { Command } from 'commander';
import { dirOption, formatOption } from './options.js';
import { printJson, type Io } from './output.js';

export function registerSchemas(program: Command, io: Io): void {
  const schemas = program.command('schemas').description('schemas validate uses that no npm package ships');
  schemas
    .command('pull')
    .description(
      "fetch the CRDs of the fleet's release (istio-operator) into the cache validate reads offline ($CALISTI_GITOPS_CACHE, else ~/.cache/calisti-gitops)",
    )
    .addOption(dirOption())
    .option('--location <template>', 'where to fetch from instead of GitHub: a URL or a local path, with {ref} for the pinned version (e.g. ./crds/{ref}.yaml)')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ calisti-gitops schemas pull -C ./calisti-gitops\n  $ calisti-gitops schemas pull --location https://mirror.example.org/istio-operator/{ref}/crds.yaml',
    )
    .action(async (o: { dir: string; location?: string; output: string }) => {
      const [{ loadRepoModel }, { pullSchemas }] = await Promise.all([import('../upgrade/apply.js'), import('../validate/catalogue.js')]);
      const { fleet } = await loadRepoModel(o.dir);
      const pulled = await pullSchemas(fleet, o.location);
      if (o.output === 'json') return printJson(io, pulled);
      for (const p of pulled) io.err(`${p.source} ${p.ref}: ${p.kinds.join(', ')} from ${p.location}`);
      io.err(`cached in ${pulled[0]?.file.replace(/\/[^/]+\/[^/]+$/, '') ?? '(nothing to pull)'}; validate now checks these kinds offline`);
    });
}
