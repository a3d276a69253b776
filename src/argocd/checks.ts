/**
 * What Argo CD checks on each generated Application before creating it. A failing Application is not
 * created (and, sharing its name, neither is a duplicate); the others still are.
 */
import { clusterIndex } from './cluster-index.js';
import { isDnsSubdomain } from './names.js';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, isObj, type Cluster, type EngineContext, type Obj } from './types.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function serversByName(name: string, clusters: Cluster[]): string[] {
  const servers = (clusterIndex(clusters).byName.get(name) ?? []).map((c) => c.server);
  if (servers.length === 0 && name === IN_CLUSTER_NAME) return [IN_CLUSTER_SERVER];
  return servers;
}

/** Argo's GetDestinationCluster, as an error message or undefined when the destination resolves. */
export function destinationProblem(destination: unknown, clusters: Cluster[]): string | undefined {
  const d = isObj(destination) ? destination : {};
  const name = str(d.name);
  const server = str(d.server);
  if (name && server) return `application destination can't have both name and server defined: ${name} ${server}`;
  let url: string;
  if (server) url = server.replace(/\/+$/, '');
  else if (name) {
    const urls = serversByName(name, clusters);
    if (urls.length === 0) return `there are no clusters with this name: ${name}`;
    if (urls.length > 1) return `there are ${urls.length} clusters with the same name: [${urls.join(' ')}]`;
    url = urls[0]!;
  } else return 'Destination server missing from app spec';
  if (url === IN_CLUSTER_SERVER || clusterIndex(clusters).byServer.has(url)) return undefined;
  const notFound = `rpc error: code = NotFound desc = cluster "${url}" not found`;
  return server ? `error getting cluster by server "${server}": ${notFound}` : `error getting cluster by URL: ${notFound}`;
}

/** Which of Argo's checks an Application fails, for callers that report them apart. */
export type RejectionKind = 'name' | 'duplicate' | 'project' | 'destination';
export interface Problem {
  kind: RejectionKind;
  reason: string;
}

/** Per-Application problems, keyed by index into `apps`. */
export function checkApplications(apps: Obj[], appSetName: string, ctx: EngineContext): Map<number, Problem> {
  const problems = new Map<number, Problem>();
  const firstByName = new Map<string, number>();
  apps.forEach((app, i) => {
    const meta = isObj(app.metadata) ? app.metadata : {};
    const spec = isObj(app.spec) ? app.spec : {};
    const name = str(meta.name);
    if (!name) {
      problems.set(i, {
        kind: 'name',
        reason: `ApplicationSet ${appSetName} contains an application with no name; a name must be set in the template's metadata.name or via a templatePatch (generateName is not supported)`,
      });
      return;
    }
    const first = firstByName.get(name);
    if (first !== undefined) {
      // Argo keys its errors by name: the first Application of that name is dropped too.
      const problem: Problem = { kind: 'duplicate', reason: `ApplicationSet ${appSetName} contains applications with duplicate name: ${name}` };
      problems.set(i, problem);
      problems.set(first, problem);
      return;
    }
    firstByName.set(name, i);
    if (ctx.projects && !ctx.projects.has(str(spec.project))) {
      problems.set(i, { kind: 'project', reason: `application references project ${str(spec.project)} which does not exist` });
      return;
    }
    const dest = destinationProblem(spec.destination, ctx.clusters);
    if (dest) {
      problems.set(i, { kind: 'destination', reason: `application destination spec is invalid: ${dest}` });
      return;
    }
    if (!isDnsSubdomain(name)) {
      // The API server refuses the object; Argo reports the create error and goes on with the others.
      problems.set(i, {
        kind: 'name',
        reason: `Application.argoproj.io "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      });
    }
  });
  return problems;
}
