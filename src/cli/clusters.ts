/** `clusters add`, `trust`, `bootstrap`, `status`: the cluster-side steps of the guides. */
import type { Command } from 'commander';
import { UserError } from '../errors.js';
/** The cluster commands load @kubernetes/client-node and the writer only when they run. */
const commands = () => import('../cluster/commands.js');
import { commitAliasOption, dirOption, formatOption, noCommitOption } from './options.js';
import { printJson, type Io } from './output.js';

function contextMap(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const [cluster, ctx] = p.split('=', 2);
    if (!cluster || !ctx) throw new UserError(`--context ${p}: use <cluster>=<kubeconfig context>`);
    out[cluster] = ctx;
  }
  return out;
}

export function registerClusters(program: Command, io: Io): void {
  const clusters = program.command('clusters').description('fleet clusters');
  clusters
    .command('add')
    .description('register a cluster in Argo CD from a kubeconfig context (sealed, offline) and add it to calisti.yaml')
    .requiredOption('--context <ctx>', 'kubeconfig context of the cluster')
    .requiredOption('--cert <file>', "the management cluster's sealed-secrets certificate")
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG or ~/.kube/config)')
    .option('--name <name>', 'cluster name (default: the context, made an RFC 1123 label)')
    .option('--role <role>', 'active or passive', 'active')
    .option('--network <name>', 'Istio network')
    .option('--offline', "do not touch the cluster: seal the context's own credentials (refused for exec plugins and expiring tokens)", false)
    .addOption(dirOption())
    .addOption(noCommitOption())
    .addOption(commitAliasOption())
    .addOption(formatOption())
    .addHelpText(
      'after',
      "\nBy default a ServiceAccount argocd-manager (kube-system) with a cluster-admin binding and a long-lived\ntoken Secret is created on the cluster, as `argocd cluster add` does, and that token is sealed.\nEKS contexts (`aws eks get-token`) get Argo CD's awsAuthConfig instead.\n\nExample:\n  $ calisti-gitops clusters add --context workload-cluster-3 --role passive --cert mgmt-cert.pem    # one commit",
    )
    .action(
      async (o: {
        context: string;
        cert: string;
        kubeconfig?: string;
        name?: string;
        role: string;
        network?: string;
        offline: boolean;
        dir: string;
        commit: boolean;
        output: string;
      }) => {
        if (o.role !== 'active' && o.role !== 'passive') throw new UserError(`--role ${o.role}: use active or passive`);
        const r = await (await commands()).runClustersAdd({
          dir: o.dir,
          context: o.context,
          kubeconfig: o.kubeconfig,
          cert: (await commands()).readCert(o.cert),
          name: o.name,
          role: o.role,
          network: o.network,
          offline: o.offline,
          commit: o.commit,
        });
        if (o.output === 'json') return printJson(io, r);
        for (const c of r.created) io.err(`applied ${c} on context ${o.context}`);
        const how = {
          'service-account': 'the argocd-manager ServiceAccount token',
          aws: "awsAuthConfig (Argo CD's IAM role)",
          copy: "the context's own credentials",
        }[r.registration];
        io.err(
          `${r.added ? 'added' : 'updated the credentials of'} cluster ${r.cluster}${r.renamedFrom ? ` (name made from context "${r.renamedFrom}"; pass --name to choose)` : ''}, registered with ${how}${r.commit ? `; committed ${r.commit.slice(0, 12)}` : ''}`,
        );
        for (const n of r.next) io.err(`next: ${n}`);
      },
    );

  clusters
    .command('list')
    .description('the clusters of calisti.yaml, and whether each is registered in Argo CD and has its pull secret sealed')
    .addOption(dirOption())
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ calisti-gitops clusters list -o json')
    .action(async (o: { dir: string; output: string }) => {
      const rows = await (await commands()).runClustersList({ dir: o.dir });
      if (o.output === 'json') return printJson(io, rows);
      const table = [
        ['NAME', 'ROLE', 'NETWORK', 'ARGO CD SECRET', 'PULL SECRET'],
        ...rows.map((r) => [r.name, r.role, r.network, r.registered ? 'sealed' : 'none', r.pullSecretSealed ? 'sealed' : 'placeholder']),
      ];
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      io.out(
        table
          .map((row) =>
            row
              .map((cell, i) => cell.padEnd(widths[i]!))
              .join('  ')
              .trimEnd(),
          )
          .join('\n'),
      );
    });

  clusters
    .command('remove <name>')
    .description('remove a cluster from calisti.yaml with its overlays and sealed secrets (Argo CD then deletes what its Applications installed)')
    .option('--allow-destructive', 'consent to the deletion Argo CD will do', false)
    .addOption(dirOption())
    .addOption(noCommitOption())
    .addOption(commitAliasOption())
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ calisti-gitops clusters remove workload-cluster-3 --allow-destructive    # one commit')
    .action(async (name: string, o: { allowDestructive: boolean; dir: string; commit: boolean; output: string }) => {
      const r = await (await commands()).runClustersRemove({ dir: o.dir, name, allowDestructive: o.allowDestructive, commit: o.commit });
      if (o.output === 'json') return printJson(io, r);
      io.err(`removed cluster ${r.cluster} and the Applications ${r.applications.join(', ')}${r.commit ? `; committed ${r.commit.slice(0, 12)}` : ''}`);
    });

  program
    .command('trust')
    .description("exchange cluster trust: copy each cluster's cluster-registry Cluster and Secret to every other (export-secrets.sh)")
    .option('--kubeconfig <file>', 'kubeconfig file')
    .option('--context <cluster=ctx...>', 'kubeconfig context per cluster (default: the cluster name)', [])
    .option('--dry-run', 'ask the API servers to check the writes without making them', false)
    .addOption(dirOption())
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ calisti-gitops trust --context workload-cluster-1=admin@wc1 --dry-run')
    .action(async (o: { kubeconfig?: string; context: string[]; dryRun: boolean; dir: string; output: string }) => {
      const steps = await (await commands()).runTrust({ dir: o.dir, kubeconfig: o.kubeconfig, contexts: contextMap(o.context), dryRun: o.dryRun });
      if (o.output === 'json') return printJson(io, steps);
      for (const s of steps) io.err(`${s.action} ${s.object}: ${s.from} -> ${s.to}`);
    });

  program
    .command('bootstrap')
    .description('apply bootstrap/ (argocd-cm health patch, root application, sealed secrets) to the Argo CD cluster')
    .requiredOption('--context <ctx>', 'kubeconfig context of the management cluster')
    .option('--kubeconfig <file>', 'kubeconfig file')
    .option('--dry-run', 'server-side dry run', false)
    .addOption(dirOption())
    .addHelpText('after', '\nExample:\n  $ calisti-gitops bootstrap --context management-cluster')
    .action(async (o: { context: string; kubeconfig?: string; dryRun: boolean; dir: string }) => {
      for (const a of await (await commands()).runBootstrap({ dir: o.dir, context: o.context, kubeconfig: o.kubeconfig, dryRun: o.dryRun }))
        io.err(`${o.dryRun ? 'would apply' : 'applied'} ${a}`);
    });

  program
    .command('status')
    .description("sync and health of every Application, and each cluster's ControlPlane status when reachable")
    .requiredOption('--context <ctx>', 'kubeconfig context of the management cluster')
    .option('--kubeconfig <file>', 'kubeconfig file')
    .addOption(dirOption())
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ calisti-gitops status --context management-cluster -o json')
    .action(async (o: { context: string; kubeconfig?: string; dir: string; output: string }) => {
      const r = await (await commands()).runStatus({ dir: o.dir, context: o.context, kubeconfig: o.kubeconfig });
      if (o.output === 'json') return printJson(io, r);
      io.out(r.applications.map((a) => `${a.application.padEnd(40)} ${a.sync.padEnd(10)} ${a.health}`).join('\n'));
      for (const [c, s] of Object.entries(r.controlPlanes)) io.out(`ControlPlane on ${c}: ${s}`);
    });
}
