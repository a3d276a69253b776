/**
 * Changes that make Argo CD delete things on a cluster: an Application that disappears (its
 * resources finalizer and prune then delete everything it deployed), and a Namespace, a
 * CustomResourceDefinition (with every custom resource of that kind) or an IstioControlPlane that
 * leaves the rendered tree. Pure: the tree before (read) against the tree after (writes, deletes).
 */
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadDocuments, parseYaml } from '../fast-yaml.js';
import { joinTree } from '../validate/inputs.js';

/** The kinds whose removal takes more with them than themselves. */
const DESTRUCTIVE_KINDS = new Set(['Namespace', 'CustomResourceDefinition', 'IstioControlPlane']);
const OVERLAY = /^manifests\/([^/]+)\/overlays\/([^/]+)\//;

export interface Destructive {
  kind: 'Application' | 'Namespace' | 'CustomResourceDefinition' | 'IstioControlPlane';
  /** `app@cluster` for an Application, else `namespace/name` or `name`. */
  name: string;
  /** The file it was declared in. */
  file: string;
  /** For an Application: the resources its finalizer deletes (from its base and overlay). */
  deletes?: string[];
}

interface Resource {
  kind: string;
  name: string;
}

/** Each document's data; a document with errors gives nothing (the fast reader, else `yaml` document by document). */
function documents(text: string): unknown[] {
  try {
    return loadDocuments(text);
  } catch {
    return parseAllDocuments(text).flatMap((doc) => (doc.errors.length ? [] : [doc.toJS()]));
  }
}

function resources(text: string | undefined): Resource[] {
  if (text === undefined) return [];
  const out: Resource[] = [];
  for (const doc of documents(text)) {
    const o = doc as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (!o || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') continue;
    const ns = typeof o.metadata.namespace === 'string' ? `${o.metadata.namespace}/` : '';
    out.push({ kind: o.kind, name: `${ns}${o.metadata.name}` });
  }
  return out;
}

/** A kustomization's `resources` list as written; nothing when it does not parse. */
function listedResources(text: string): unknown[] {
  let k: unknown;
  try {
    k = parseYaml(text);
  } catch {
    return [];
  }
  const resources = (k as { resources?: unknown } | null | undefined)?.resources;
  return Array.isArray(resources) ? resources : [];
}

/**
 * The files that declare resources: those a kustomization lists under `resources`. Patches and
 * component files name resources they change, not ones they create.
 */
function resourceFiles(tree: FileTree, listed = new Map<string, unknown[]>()): string[] {
  const out = new Set<string>();
  for (const p of tree.keys()) {
    if (posix.basename(p) !== 'kustomization.yaml') continue;
    // Before and after, and a fleet's overlays, share most kustomizations: each is parsed once,
    // found by blob id where the tree knows it (nothing read), else by text.
    const id = tree.id?.(p);
    let list = id === undefined ? undefined : listed.get(`id:${id}`);
    if (!list) {
      const text = tree.get(p) ?? '';
      list = listed.get(`text:${text}`) ?? listedResources(text);
      listed.set(`text:${text}`, list);
      if (id !== undefined) listed.set(`id:${id}`, list);
    }
    for (const r of list) {
      if (typeof r !== 'string') continue;
      // joinTree takes a trailing slash off, which a file's path never has: such an entry names none.
      const f = r.endsWith('/') ? posix.normalize(posix.join(posix.dirname(p), r)) : joinTree(posix.dirname(p), r);
      if (tree.has(f)) out.add(f);
    }
  }
  return [...out].sort();
}

/** A tree of files: its paths, and each one's content, read when asked for; its blob id where known without reading. */
export type FileTree = Pick<ReadonlyMap<string, string>, 'keys' | 'has' | 'get'> & { id?(path: string): string | undefined };

/** Whether a path holds the same content in both trees: by blob ids where both know them, else by text. */
function same(before: FileTree, after: FileTree, p: string): boolean {
  const a = before.id?.(p);
  const b = a === undefined ? undefined : after.id?.(p);
  return b !== undefined ? a === b : after.get(p) === before.get(p);
}

/** The tree before and after as path -> content (a missing path: no such file). */
export function destructiveChanges(before: FileTree, after: FileTree): Destructive[] {
  const listed = new Map<string, unknown[]>();
  const parsed = new Map<string, Resource[]>();
  const res = (text: string | undefined): Resource[] => {
    if (text === undefined) return [];
    let r = parsed.get(text);
    if (!r) parsed.set(text, (r = resources(text)));
    return r;
  };
  const declaredBefore = resourceFiles(before, listed);
  // An overlay is its folder's kustomization, whether or not it declares resources of its own.
  const overlaysBefore = [...before.keys()].filter((p) => OVERLAY.test(p)).sort();
  // Nothing deployed before (a first run): nothing to delete, and the tree after need not be read.
  if (declaredBefore.length === 0 && overlaysBefore.length === 0) return [];
  const overlayOf = (p: string) => OVERLAY.exec(p)?.slice(1, 3).join('@');
  const overlaysAfter = new Set([...after.keys()].map(overlayOf).filter(Boolean));
  const out: Destructive[] = [];
  const reported = new Set<string>();
  for (const p of overlaysBefore) {
    const app = overlayOf(p);
    if (!app || overlaysAfter.has(app) || reported.has(app)) continue;
    reported.add(app);
    const [name, cluster] = app.split('@') as [string, string];
    const deployed = declaredBefore.filter((f) => f.startsWith(`manifests/${name}/base/`) || f.startsWith(`manifests/${name}/overlays/${cluster}/`));
    const deletes = [...new Set(deployed.flatMap((f) => res(before.get(f)).map((r) => `${r.kind}/${r.name}`)))].sort();
    out.push({ kind: 'Application', name: app, file: `manifests/${name}/overlays/${cluster}/`, deletes });
  }
  const declaredAfter = new Set(resourceFiles(after, listed));
  // What the tree after still declares; parsed only when something destructive left a file.
  let remainingKeys: Set<string> | undefined;
  const remaining = () => (remainingKeys ??= new Set([...declaredAfter].flatMap((p) => res(after.get(p)).map((r) => `${r.kind}/${r.name}`))));
  for (const p of declaredBefore) {
    const app = overlayOf(p);
    if (app && reported.has(app)) continue; // Reported with its Application.
    if (declaredAfter.has(p) && same(before, after, p)) continue;
    for (const r of res(before.get(p))) {
      const key = `${r.kind}/${r.name}`;
      // A resource that moved to another file is not removed; one declared twice is reported once.
      if (!DESTRUCTIVE_KINDS.has(r.kind) || reported.has(key) || remaining().has(key)) continue;
      reported.add(key);
      out.push({ kind: r.kind as Destructive['kind'], name: r.name, file: p });
    }
  }
  return out;
}

export function describeDestructive(d: Destructive): string {
  if (d.kind === 'Application') {
    const [app, cluster] = d.name.split('@');
    return `the ${app} Application of ${cluster} (${d.file}) is removed: Argo CD's resources finalizer then deletes everything it deployed (a Helm chart's resources too)${d.deletes?.length ? `, among them ${d.deletes.join(', ')}` : ''}`;
  }
  return `${d.kind} ${d.name} (${d.file}) is removed: Argo CD prunes it${d.kind === 'Namespace' ? ' with everything in it' : d.kind === 'CustomResourceDefinition' ? ' with every resource of its kind' : ''}`;
}

/**
 * What a generate plan deletes: the tree before is every file the last and the new render name, as
 * it is now; the tree after is that with the plan's writes and deletes applied.
 */
export function destructiveInPlan(
  plan: { writes: { path: string; content: string }[]; deletes: string[] },
  paths: Iterable<string>,
  read: (p: string) => string | undefined,
  idOf: (p: string) => string | undefined,
): Destructive[] {
  // Nothing written or deleted: nothing Argo CD could delete.
  if (plan.writes.length === 0 && plan.deletes.length === 0) return [];
  // Files are read when the check asks for them: kustomizations git does not vouch for, and what changed or left.
  const present = new Set([...paths].filter((p) => idOf(p) !== undefined));
  const before: FileTree = { keys: () => present.values(), has: (p) => present.has(p), get: (p) => (present.has(p) ? read(p) : undefined), id: idOf };
  const written = new Map(plan.writes.map((w) => [w.path, w.content]));
  const deleted = new Set(plan.deletes);
  const left = new Set([...present, ...written.keys()].filter((p) => !deleted.has(p)));
  const after: FileTree = {
    keys: () => left.values(),
    has: (p) => left.has(p),
    get: (p) => (left.has(p) ? (written.get(p) ?? read(p)) : undefined),
    id: (p) => (written.has(p) || !left.has(p) ? undefined : idOf(p)),
  };
  return destructiveChanges(before, after);
}
