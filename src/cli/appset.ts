/** `appset generate`: the Applications Argo CD would create from one ApplicationSet, offline. */
import type { Command } from 'commander';
import type { Io } from './output.js';

export function registerAppset(program: Command, io: Io): void {
  const appset = program.command('appset').description("ApplicationSet tools, offline and rule for rule Argo CD's");
  appset
    .command('generate <file>')
    .description('print the Applications Argo CD would create from an ApplicationSet; exit 1 when Argo would reject it or any of its Applications')
    .option(
      '--cluster-secrets <dir>',
      'folder whose YAML files hold the argocd.argoproj.io/secret-type: cluster Secrets (default: those of the checkout around <file>)',
    )
    .option(
      '--repo <checkout>',
      'local checkout that git generators read, whatever their repoURL (default: the checkout around <file>, when repoURL is one of its remotes)',
    )
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .addHelpText(
      'after',
      '\nExamples:\n  $ calisti-gitops appset generate apps/mesh.yaml --cluster-secrets clusters/ -o json\n  $ calisti-gitops appset generate appset.yaml --repo ../gitops-repo',
    )
    .action(async (file: string, o: { clusterSecrets?: string; repo?: string; output: string }) =>
      (await import('./appset-generate.js')).appsetGenerate(io, file, o),
    );
}
