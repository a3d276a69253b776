/**
 * renderRepo: Fleet -> every generated file of the calisti-gitops repo, as a sorted map of
 * repo-relative paths to contents. Pure: no clock, no environment, same model -> same bytes.
 * The generated applications come from apps/registry.ts; repo-level files from REPO_FILES.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fleet } from '../model/schema.js';
import { SealedStore } from '../secrets/store.js';
import { schemasDir } from '../toolkit.js';
import { APPS } from './apps/registry.js';
import type { AppFile, Files } from './apps/types.js';
import { appSets, bootstrap } from './bootstrap.js';
import { ciFiles } from './ci.js';
import { renderContext, type RenderContext } from './context.js';
import { baseDir, overlayDir, releaseBaseDir, SCHEMA_FILE } from './layout.js';
import { readme } from './readme.js';
import { renovateFiles } from './renovate.js';
import type { RenderedApp, RepoFiles } from './repo-files.js';
import { toYaml } from './yaml.js';

export interface RenderedFile {
  content: string;
  executable?: boolean;
  /** Written only where none of these exists and no file of the same name the user made (see planGenerate). */
  unlessPresent?: readonly string[];
}
export type RenderedTree = Map<string, RenderedFile>;

const jsonSchema: RepoFiles = () => [{ path: SCHEMA_FILE, text: readFileSync(join(schemasDir, 'calisti.schema.json'), 'utf8') }];

/** Files outside any one application. */
const REPO_FILES: RepoFiles[] = [appSets, bootstrap, readme, jsonSchema, ciFiles, renovateFiles];

/** `sealed`: the repo's sealed values (sealed-secrets.yaml), rendered as SealedSecrets. */
export function renderRepo(fleet: Fleet, sealed: SealedStore = new SealedStore()): RenderedTree {
  const ctx = renderContext(fleet);
  const apps: RenderedApp[] = APPS.map((app) => ({ app, clusters: app.clusters(ctx) })).filter((a) => a.clusters.length > 0);
  const files = [...apps.flatMap((a) => appFiles(ctx, sealed, a)), ...REPO_FILES.flatMap((f) => f({ ctx, sealed, apps }))];
  const tree: RenderedTree = new Map();
  for (const f of files) {
    if (tree.has(f.path)) throw new Error(`internal: ${f.path} rendered twice`);
    tree.set(
      f.path,
      'content' in f
        ? { content: toYaml(f.content) }
        : { content: f.text, ...(f.executable && { executable: true }), ...(f.unlessPresent && { unlessPresent: f.unlessPresent }) },
    );
  }
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * One application's bases (one per release its clusters run: a ring mid-upgrade has its own),
 * overlays (one per cluster it runs on) and shared folders.
 */
function appFiles(ctx: RenderContext, sealed: SealedStore, { app, clusters }: RenderedApp): AppFile[] {
  const under = (dir: string, files: Files): AppFile[] => files.map(([file, content]) => ({ path: `${dir}/${file}`, content }));
  const baseOf = (c: RenderContext) => (c === ctx ? baseDir(app.name) : releaseBaseDir(app.name, c.blueprint.calisti));
  const releases = [...new Set([ctx, ...clusters.map((c) => ctx.forCluster(c.name))])];
  return [
    ...(app.base ? releases.flatMap((c) => under(baseOf(c), app.base!(c))) : []),
    ...clusters.flatMap((cluster) => {
      const dir = overlayDir(app.name, cluster.name);
      const own = ctx.forCluster(cluster.name);
      return app.overlay ? under(dir, app.overlay({ ctx: own, cluster, dir, base: baseOf(own), sealed })) : [];
    }),
    ...(app.shared?.(ctx, clusters) ?? []),
  ];
}
