/** `graph`: a picture of the fleet as the repo declares it (after kustomize, so hand edits count). */
import type { Command } from 'commander';
import { dirOption, formatOption } from './options.js';
import { printJson, type Io } from './output.js';

export function registerGraph(program: Command, io: Io): void {
  program
    .command('graph')
    .description('draw the fleet: networks, clusters, Istio revisions, their namespaces and gateways, Applications')
    .addOption(dirOption())
    .addOption(formatOption(['mermaid', 'dot', 'svg', 'json']).default('mermaid'))
    .addHelpText('after', '\nExamples:\n  $ calisti-gitops graph -C ./calisti-gitops\n  $ calisti-gitops graph -o svg > fleet.svg')
    .action(async (o: { dir: string; output: string }) => {
      // Loaded when the command runs: the build pipeline and Graphviz are heavy.
      const [{ repoGraph }, { collapse }, { toMermaid }, { toDot }] = await Promise.all([
        import('../graph/collect.js'),
        import('../graph/collapse.js'),
        import('../graph/mermaid.js'),
        import('../graph/dot.js'),
      ]);
      const { graph, problems } = await repoGraph(o.dir);
      for (const p of problems) io.err(`warning: ${p.message} (the picture may miss what this build deploys)`);
      // JSON keeps every cluster (for tools); pictures group clusters of one shape past a dozen.
      if (o.output === 'json') return printJson(io, graph);
      const drawn = collapse(graph);
      if (o.output === 'mermaid') io.out(toMermaid(drawn));
      else if (o.output === 'dot') io.out(toDot(drawn));
      else io.out(await (await import('../graph/svg.js')).dotToSvg(toDot(drawn)));
    });
}
