/**
 * Repo-level files, outside any one application: the apps/ kustomization Argo CD's root app
 * syncs, the bootstrap folder, the README and its trust script, the model's JSON Schema. A new
 * repo-level file (CI, Renovate, ...) is one RepoFiles function added to REPO_FILES in index.ts.
 */
import type { Cluster } from '../model/schema.js';
import type { SealedStore } from '../secrets/store.js';
import type { AppFile, GeneratedApp } from './apps/types.js';
import type { RenderContext } from './context.js';

/** An application that is generated, with the clusters it runs on (never empty). */
export interface RenderedApp {
  app: GeneratedApp;
  clusters: Cluster[];
}

export interface RepoInput {
  ctx: RenderContext;
  sealed: SealedStore;
  apps: RenderedApp[];
}

export type RepoFiles = (input: RepoInput) => AppFile[];
