/** `appset generate`: the Applications Argo CD would create from one ApplicationSet, offline. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { clusterFromSecret, expand, type Cluster } from '../argocd/engine.js';
import { ExitCode, UsageError, UserError } from '../errors.js';
import { toYaml } from '../render/yaml.js';
import { printJson, type Io } from './output.js';

type Obj = Record<string, any>;

function readDocs(file: string): Obj[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  for (const d of docs) if (d.errors.length) throw new UserError(`${file}: ${d.errors[0]!.message}`);
  return docs.map((d) => d.toJS() as Obj).filter((d) => d && typeof d === 'object');
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n.startsWith('.') ? [] : yamlFiles(p);
    return ['.yaml', '.yml'].includes(extname(n)) ? [p] : [];
  });
}

export function registerAppset(program: Command, io: Io): void {
  const appset = program.command('appset').description('ApplicationSet tools, offline and rule for rule Argo CD\'s');
  appset
    .command('generate <file>')
    .description('print the Applications Argo CD would create from an ApplicationSet; exit 1 when Argo would reject it')
    .option('--cluster-secrets <dir>', 'folder whose YAML files hold the argocd.argoproj.io/secret-type: cluster Secrets')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .addHelpText('after', '\nExamples:\n  $ calisti-gitops appset generate apps/mesh.yaml --cluster-secrets clusters/ -o json')
    .action((file: string, o: { clusterSecrets?: string; output: string }) => {
      if (!['yaml', 'json'].includes(o.output)) throw new UsageError(`--output must be yaml or json, not ${o.output}`);
      const clusters: Cluster[] = [];
      if (o.clusterSecrets) {
        if (!statSync(o.clusterSecrets, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--cluster-secrets ${o.clusterSecrets} is not a folder`);
        for (const f of yamlFiles(o.clusterSecrets)) for (const d of readDocs(f)) {
          const c = clusterFromSecret(d);
          if (c) clusters.push(c);
        }
      }
      const sets = readDocs(file).filter((d) => d.kind === 'ApplicationSet');
      if (!sets.length) throw new UserError(`${file} holds no ApplicationSet`);
      const apps: Obj[] = [];
      let failed = false;
      for (const s of sets) {
        const r = expand(s, clusters);
        apps.push(...r.apps);
        for (const m of [...r.errors, ...r.skipped]) io.err(`${s.metadata?.name ?? file}: ${m}`);
        failed ||= r.errors.length > 0 || r.skipped.length > 0;
      }
      if (o.output === 'json') printJson(io, apps);
      else if (apps.length) io.out(apps.map((a) => toYaml(a)).join('---\n'));
      if (failed) throw new ExitCode(1);
    });
}
