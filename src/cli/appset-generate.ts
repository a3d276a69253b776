/** `appset generate`'s work, loaded only when it runs: read the ApplicationSets, find clusters and the repo, expand. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expand, type Cluster, type GitSource } from '../argocd/engine.js';
import { loadDocuments } from '../fast-yaml.js';
import { checkoutRoot, localGitSource } from '../argocd/local-repo.js';
import { clustersInFiles, withClusters, yamlFiles } from '../argocd/repo-clusters.js';
import { ExitCode, UsageError, UserError } from '../errors.js';
import { loadFleet } from '../model/load.js';
import { MODEL_FILE } from '../render/layout.js';
import { toYaml } from '../render/yaml.js';
import { clusterInfo } from '../validate/sources.js';
import { printJson, type Io } from './output.js';

function readDocs(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return loadDocuments(text).filter((d) => d && typeof d === 'object');
  } catch (e) {
    throw new UserError(`${file}: ${(e as Error).message}`);
  }
}

const isAppSet = (d: unknown): d is { kind: string; metadata?: { name?: string } } => (d as { kind?: unknown }).kind === 'ApplicationSet';

/** The fleet's clusters when `root` is a calisti-gitops repo with a valid model; none otherwise. */
function modelClusters(root: string): { clusters: Cluster[]; repoURL?: string } {
  if (!existsSync(join(root, MODEL_FILE))) return { clusters: [] };
  try {
    const fleet = loadFleet(join(root, MODEL_FILE), MODEL_FILE);
    return { clusters: fleet.clusters.map(clusterInfo), repoURL: fleet.git.repoURL };
  } catch {
    return { clusters: [] };
  }
}

/** Where clusters and repository files come from: flags first, else the checkout around the file. */
function context(file: string, o: { clusterSecrets?: string; repo?: string }): { clusters: Cluster[]; repo?: GitSource } {
  const around = checkoutRoot(dirname(resolve(file)));
  // Read once: its clusters and its repoURL both serve below.
  const model = around ? modelClusters(around) : { clusters: [] };
  let clusters: Cluster[] = [];
  if (o.clusterSecrets) {
    if (!statSync(o.clusterSecrets, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--cluster-secrets ${o.clusterSecrets} is not a folder`);
    clusters = clustersInFiles(yamlFiles(o.clusterSecrets));
  } else if (around) {
    clusters = withClusters(clustersInFiles(yamlFiles(around)), model.clusters);
  }
  if (o.repo) {
    const root = checkoutRoot(o.repo);
    if (!root) throw new UsageError(`--repo ${o.repo} is not a git checkout`);
    // Named explicitly: this checkout stands for every repoURL the ApplicationSet reads.
    const local = localGitSource(root);
    return { clusters, repo: { at: (_url, revision) => local.at(root, revision) } };
  }
  if (!around) return { clusters };
  return { clusters, repo: localGitSource(around, model.repoURL ? [model.repoURL] : []) };
}

export interface AppsetGenerateOptions {
  clusterSecrets?: string;
  repo?: string;
  output: string;
}

/** Prints the Applications and Argo's messages; exit 1 when Argo would reject anything. */
export function appsetGenerate(io: Io, file: string, o: AppsetGenerateOptions): void {
  if (!['yaml', 'json'].includes(o.output)) throw new UsageError(`--output must be yaml or json, not ${o.output}`);
  const sets = readDocs(file).filter(isAppSet);
  if (!sets.length) throw new UserError(`${file} holds no ApplicationSet`);
  const ctx = context(file, o);
  const apps: unknown[] = [];
  let failed = false;
  for (const s of sets) {
    const r = expand(s, ctx);
    apps.push(...r.apps);
    const name = s.metadata?.name ?? file;
    for (const m of r.errors) io.err(`error: ${name}: ${m}`);
    for (const m of r.skipped) io.err(`info: ${name}: skipped: ${m}`);
    for (const m of r.warnings) io.err(`warning: ${name}: ${m}`);
    failed ||= r.errors.length > 0 || r.skipped.length > 0;
  }
  if (o.output === 'json') printJson(io, apps);
  else if (apps.length) io.out(apps.map((a) => toYaml(a as Record<string, unknown>)).join('---\n'));
  if (failed) throw new ExitCode(1);
}
