/**
 * What one generated Argo CD application is. Each application is a folder under src/render/apps/
 * whose index.ts exports one GeneratedApp, listed once in registry.ts. The renderer asks an app
 * once which clusters it runs on; that one answer names both its overlay folders and its
 * ApplicationSet elements.
 */
import type { Cluster } from '../../model/schema.js';
import type { SealedStore } from '../../secrets/store.js';
import type { RenderContext } from '../context.js';
import type { K8sObject } from '../yaml.js';

/** A file of the generated repo: a Kubernetes object (serialized by the one serializer) or text. */
export type AppFile =
  | { path: string; content: K8sObject }
  /** unlessPresent: files the user may own instead (their Renovate config); this one is written only where none exists. */
  | { path: string; text: string; executable?: boolean; unlessPresent?: readonly string[] };
/** Files named relative to the folder they are rendered into. */
export type Files = [file: string, content: K8sObject][];

export interface OverlayInput {
  ctx: RenderContext;
  cluster: Cluster;
  /** This overlay's repo-relative folder, for relative kustomize paths. */
  dir: string;
  /** The app's base folder. */
  base: string;
  sealed: SealedStore;
}

export interface GeneratedApp {
  /** Folder name: apps/<name>/app-set.yaml, manifests/<name>/{base,overlays/<cluster>}. */
  name: string;
  /** The ApplicationSet's metadata.name. */
  appSetName: string;
  /** Generated Applications are named `<appPrefix>-<cluster>` (../app-name.ts: cut with a hash past 63 characters). */
  appPrefix: string;
  /** Argo CD sync wave of the ApplicationSet: operator, then control plane, then what uses it. */
  wave: string;
  /** What it needs from the waves before its own, for the generated README's install order. */
  needs: string;
  /** Sync options this application needs besides the fleet's (argocd.syncOptions). */
  syncOptions?: string[];
  /** The clusters this app runs on, in model order; none means the app is not generated. */
  clusters(ctx: RenderContext): Cluster[];
  /** Extra list-generator values per cluster, next to `cluster`; `ctx` is the context of the release it runs. */
  element?(cluster: Cluster, ctx: RenderContext): Record<string, string>;
  /** The Application spec besides project and syncPolicy; `overlay` is its per-cluster git source. */
  spec(ctx: RenderContext, overlay: Record<string, unknown>): Record<string, unknown>;
  /** Files of manifests/<name>/base. */
  base?(ctx: RenderContext): Files;
  /** Files of manifests/<name>/overlays/<cluster>, its kustomization.yaml included; none for an app that is only a remote chart. */
  overlay?(input: OverlayInput): Files;
  /** Files the overlays share outside base (Components, per-gateway folders), repo-relative. */
  shared?(ctx: RenderContext, clusters: Cluster[]): AppFile[];
}
