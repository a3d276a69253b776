/** The fleet graph of a repo as Argo CD would deploy it: validate's deployment collection, read-only. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError, UserError } from '../errors.js';
import { findKustomize } from '../kustomize/build.js';
import { loadFleet } from '../model/load.js';
import { BOOTSTRAP_DIR, MODEL_FILE } from '../render/layout.js';
import { deployments, engineContext, expandApplications } from '../validate/deploy.js';
import type { Finding } from '../validate/findings.js';
import { clusterInfo, reachableArgoObjects, sourceRootOf } from '../validate/sources.js';
import { fleetGraph, type FleetGraph } from './model.js';

export interface GraphResult {
  graph: FleetGraph;
  /** Problems met while building (a build that failed leaves its cluster incomplete). */
  problems: Finding[];
}

export async function repoGraph(dir: string): Promise<GraphResult> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${dir} is not a folder`);
  if (!existsSync(join(root, MODEL_FILE)))
    throw new UserError(`${join(root, MODEL_FILE)} not found: ${dir} is not a calisti-gitops repo`, 'calisti-gitops generate -C <repo>');
  const fleet = loadFleet(join(root, MODEL_FILE), MODEL_FILE);
  const clusters = fleet.clusters.map(clusterInfo);
  const problems: Finding[] = [];
  const argo = reachableArgoObjects(root, BOOTSTRAP_DIR, fleet, problems);
  const apps = expandApplications(argo, engineContext(root, argo, fleet), problems);
  const d = await deployments({ root: sourceRootOf(root, fleet), apps, clusters, fleet, tool: findKustomize(), cacheDir: undefined });
  problems.push(...d.findings.filter((f) => f.severity === 'error'));
  return { graph: fleetGraph(clusters, d.views), problems };
}
