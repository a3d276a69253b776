/** Shapes the ApplicationSet engine works on, named as Argo CD names them. */

/** One parameter set a generator produces (Argo's `map[string]any`). */
export type Params = Record<string, unknown>;
import type { Obj } from '../objects.js';

export type { Obj };
export { isObj } from '../objects.js';

/** A cluster Argo CD knows: from a cluster Secret, or the implicit in-cluster. */
export interface Cluster {
  name: string;
  server: string;
  /** `project` key of the Secret's data; undefined when absent (Argo then gives ""). */
  project?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The calisti.yaml cluster this Argo CD cluster is, when its name differs (clusters[].argocd.name). */
  fleetName?: string;
}

/** The files of one repository at one revision, as Argo CD's repo server checks it out. */
export interface RepoFiles {
  /** Every tracked file, '/'-separated, relative to the repository root. */
  paths: string[];
  read(path: string): string;
}

/** Where git generators read repositories; undefined when a repo/revision cannot be read offline. */
export interface GitSource {
  at(repoURL: string, revision: string): RepoFiles | undefined;
}

export interface EngineContext {
  clusters: Cluster[];
  repo?: GitSource;
  /** AppProject names known to exist; when given, Applications naming another project are rejected. */
  projects?: Set<string>;
}

/** An error Argo CD would report on the ApplicationSet: it then creates nothing from it. */
export class AppSetError extends Error {}

/** A generator that needs a live service (SCM, pull requests...): the set cannot be evaluated offline. */
export class OfflineError extends Error {}

export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';
