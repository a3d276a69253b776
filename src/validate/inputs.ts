/**
 * The files a kustomization reads, found by following its fields the way kustomize does, so a
 * build can be keyed by the content of exactly its inputs. Undecidable inputs (remote resources,
 * plugins) make the build uncacheable rather than wrongly cached.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { parseYaml } from '../fast-yaml.js';
import { lstatOf, readRegularFile, statOf } from '../repo/fs.js';
import { MAX_MANIFEST_BYTES } from '../secrets/leak.js';
import { blobId } from '../repo/state.js';
import { plainPath, UNNORMAL } from '../repo/plain-path.js';
import { z } from 'zod';
import { isObj } from '../objects.js';
import { field, list, map } from './objects.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Kustomization fields that list paths, and fields whose entries carry a `path`. */
export const PATH_LIST_FIELDS = [
  'resources',
  'bases',
  'components',
  'crds',
  'configurations',
  'patchesStrategicMerge',
  'generators',
  'transformers',
  'validators',
] as const;
export const PATH_OBJECT_FIELDS = ['patches', 'patchesJson6902', 'replacements'] as const;

const fields = <K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) => Object.fromEntries(keys.map((k) => [k, schema])) as Record<K, S>;
const paths = list(field);
const generators = list(map({ files: paths, envs: paths, env: field }));

/** The fields of a kustomization (written by others) that name the files it reads. */
const Kustomization = z.looseObject({
  ...fields(PATH_LIST_FIELDS, paths),
  ...fields(PATH_OBJECT_FIELDS, list(map({ path: field }))),
  configMapGenerator: generators,
  secretGenerator: generators,
  openapi: map({ path: field }),
  helmCharts: list(map({ repo: field, name: field })),
  helmChartInflationGenerator: field,
});

export type Kustomization = z.infer<typeof Kustomization>;

/** A parsed kustomization file read through Kustomization; anything but a map reads as empty. */
export const kustomizationOf = (doc: unknown): Kustomization => Kustomization.parse(isObj(doc) ? doc : {});

export function kustomizationFile(absDir: string): string | undefined {
  return KUSTOMIZATION_FILES.find((f) => existsSync(join(absDir, f)));
}

/**
 * Files whose content git vouches for (clean in its index), by path relative to the reader's root:
 * their blob id, and whether a folder holds any of them. A clean file exists as a regular file, so
 * neither its presence nor its content needs the disk; anything else is looked at.
 */
export interface KnownFiles {
  id(path: string): string | undefined;
  hasFolder(path: string): boolean;
}

/** Git vouches for nothing: every file is looked at. */
export const NOTHING_KNOWN: KnownFiles = { id: () => undefined, hasFolder: () => false };
/** How an input list marks a path kustomize would read but nothing is at. */
export const MISSING = '#missing';
/** A folder or file path as one key: normalized, without a trailing slash. */
export const treePath = (path: string) => (path !== '' && !UNNORMAL.test(path) ? path : posix.normalize(path).replace(/(.)\/+$/, '$1'));

/**
 * treePath(posix.join(dir, path)) for a tree path `dir`: leading `../` segments taken off `dir` by
 * hand and a plain rest appended, which is what posix.join would give (property-tested); anything
 * else through posix.join.
 */
export function joinTree(dir: string, path: string): string {
  if (!plainPath(dir)) return treePath(posix.join(dir, path));
  let d = dir;
  let rest = path;
  while (rest.startsWith('../') && d !== '.' && d !== '..' && !d.endsWith('/..')) {
    const i = d.lastIndexOf('/');
    d = i < 0 ? '.' : d.slice(0, i);
    rest = rest.slice(3);
  }
  if (rest === '.' || !plainPath(rest)) return treePath(posix.join(d, rest));
  return d === '.' ? rest : `${d}/${rest}`;
}

/**
 * posix.relative for tree paths: by segments when both are plain, which skips resolving both
 * against the working directory; posix.relative otherwise.
 */
export function relativeTo(from: string, to: string): string {
  if (!plainPath(from) || !plainPath(to)) return posix.relative(from, to);
  // The common case: a file inside the folder.
  if (from !== '.' && to.startsWith(`${from}/`)) return to.slice(from.length + 1);
  const a = from === '.' ? [] : from.split('/');
  const b = to === '.' ? [] : to.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/**
 * Kustomizations parsed, by blob id, for every reader of the process: diff's scratch tree gets a new
 * reader each time files are added to it, and reads the same few texts again.
 */
const parsedById = new Map<string, Kustomization | undefined>();
const remember = (id: string, k: Kustomization | undefined) => {
  if (parsedById.size < 50_000) parsedById.set(id, k);
};

/** A path a kustomization names, and what is there (links followed). */
interface DirectInput {
  path: string;
  kind: 'file' | 'dir' | 'missing';
}

/**
 * One run's reads of a tree, each done once: file contents and blob ids, parsed kustomizations (a
 * fleet's overlays share a few texts), and per folder its inputs and its hazards. Overlays share
 * bases, so a run over thousands of them reads and hashes each base file once, not once per overlay.
 */
export class TreeReader {
  private readonly contents = new Map<string, Buffer>();
  private readonly ids = new Map<string, string>();
  private readonly stats = new Map<string, Stats | undefined>();
  private readonly lstats = new Map<string, Stats | undefined>();
  private readonly kfiles = new Map<string, string | undefined>();
  private readonly directByDir = new Map<string, DirectInput[] | undefined>();
  private readonly inputsByDir = new Map<string, string[] | undefined>();
  private readonly hazardsByDir = new Map<string, Hazard[]>();
  private readonly walking = new Set<string>();
  private realRoot: string | undefined;

  constructor(
    readonly root: string,
    private readonly known: KnownFiles = NOTHING_KNOWN,
  ) {}

  /** A file's bytes (root-relative path); throws as readFileSync does, and for anything but a regular file of a manifest's size. */
  read(path: string): Buffer {
    let b = this.contents.get(path);
    if (!b) {
      b = readRegularFile(join(this.root, path), MAX_MANIFEST_BYTES, path);
      this.contents.set(path, b);
    }
    return b;
  }

  /** A file's git blob id: git's where it vouches for the file, else hashed from its bytes. */
  id(path: string): string {
    let id = this.known.id(path) ?? this.ids.get(path);
    if (id === undefined) {
      try {
        id = blobId(this.read(path));
      } catch (e) {
        // Not a file that can be read (a device, a folder, too large): its hazard or its build says so.
        id = `unreadable: ${(e as Error).message}`;
      }
      this.ids.set(path, id);
    }
    return id;
  }

  /** The path's own status (a link is not followed), asked once. */
  private lstat(path: string): Stats | undefined {
    if (!this.lstats.has(path)) this.lstats.set(path, lstatOf(join(this.root, path)));
    return this.lstats.get(path);
  }

  /** Whether anything is at a path (links followed), asked once. */
  exists(path: string): boolean {
    return this.kind(treePath(path)) !== undefined;
  }

  /** What is at a path, links followed: 'dir', 'file' (anything else that exists), or undefined. */
  private kind(path: string): 'dir' | 'file' | undefined {
    if (this.known.id(path) !== undefined) return 'file';
    if (this.known.hasFolder(path)) return 'dir';
    if (!this.stats.has(path)) {
      // One lstat answers for hazards too; only a symlink needs following.
      const l = this.lstat(path);
      this.stats.set(path, l?.isSymbolicLink() ? statOf(join(this.root, path)) : l);
    }
    const st = this.stats.get(path);
    return st ? (st.isDirectory() ? 'dir' : 'file') : undefined;
  }

  /** The name of the kustomization file in a folder, if any (kustomize's order). */
  kustomizationFile(dir: string): string | undefined {
    const key = treePath(dir);
    if (!this.kfiles.has(key)) {
      const name = this.known.id(joinTree(key, KUSTOMIZATION_FILES[0]!)) ? KUSTOMIZATION_FILES[0] : kustomizationFile(join(this.root, key));
      this.kfiles.set(key, name);
    }
    return this.kfiles.get(key);
  }

  /** The folder's kustomization: its file and fields; undefined without one, 'unreadable' when it is not YAML. */
  kustomization(dir: string): { file: string; k: Kustomization } | 'unreadable' | undefined {
    const name = this.kustomizationFile(dir);
    if (!name) return undefined;
    const file = joinTree(treePath(dir), name);
    const id = this.id(file);
    let k = parsedById.get(id);
    if (k === undefined && !parsedById.has(id)) {
      let doc: unknown;
      try {
        doc = parseYaml(this.read(file).toString('utf8'));
      } catch {
        remember(id, undefined);
        return 'unreadable';
      }
      k = kustomizationOf(doc);
      remember(id, k);
    }
    return k ? { file, k } : 'unreadable';
  }

  /** Root-relative input files of the kustomization in `dir` (missing ones end in #missing), or undefined when they cannot be known. */
  inputs(dir: string): string[] | undefined {
    const key = treePath(dir);
    // A folder already being walked (a cycle, which kustomize refuses) adds nothing more.
    if (this.walking.has(key)) return [];
    if (this.inputsByDir.has(key)) return this.inputsByDir.get(key);
    this.walking.add(key);
    try {
      const result = this.walkInputs(key);
      this.inputsByDir.set(key, result);
      return result;
    } finally {
      this.walking.delete(key);
    }
  }

  private walkInputs(dir: string): string[] | undefined {
    const direct = this.direct(dir);
    if (!direct) return undefined;
    const files: string[] = [];
    for (const e of direct) {
      if (e.kind === 'file') files.push(e.path);
      else if (e.kind === 'missing') files.push(`${e.path}${MISSING}`);
      else {
        const sub = this.inputs(e.path);
        if (!sub) return undefined;
        files.push(...sub);
      }
    }
    return files;
  }

  /**
   * What the kustomization in `dir` (a tree path) names itself, in kustomize's order: its own file,
   * then each path as a file, a folder or nothing; undefined without a readable kustomization, or
   * when it reads the network or a Helm chart.
   */
  private direct(dir: string): DirectInput[] | undefined {
    if (this.directByDir.has(dir)) return this.directByDir.get(dir);
    const found = this.kustomization(dir);
    const named = typeof found === 'object' ? localPaths(found.k) : undefined;
    let out: DirectInput[] | undefined;
    if (typeof found === 'object' && named) {
      out = [{ path: found.file, kind: 'file' }];
      for (const p of named) {
        const rel = joinTree(dir, p);
        // Links followed, as kustomize does; ENOTDIR or ELOOP is nothing kustomize could read either.
        out.push({ path: rel, kind: this.kind(rel) ?? 'missing' });
      }
    }
    this.directByDir.set(dir, out);
    return out;
  }

  /**
   * Whether any of inputs(dir) passes `test` (`missing`: nothing is at the path), without listing
   * them: a base that thousands of overlays read is looked at once per `seen`, the caller's for one
   * test. True as well when the inputs cannot be known (see inputs) or loop back to a folder being
   * looked at, which kustomize refuses: such a build is never skipped.
   */
  anyInput(dir: string, test: (path: string, missing: boolean) => boolean, seen: Map<string, boolean>): boolean {
    const key = treePath(dir);
    let hit = seen.get(key);
    if (hit !== undefined) return hit;
    seen.set(key, true);
    const direct = this.direct(key);
    hit = direct === undefined || direct.some((e) => (e.kind === 'dir' ? this.anyInput(e.path, test, seen) : test(e.path, e.kind === 'missing')));
    seen.set(key, hit);
    return hit;
  }

  /**
   * What makes the build of `dir` unsafe to run offline on a pull request's content: a remote
   * resource (the pull request would choose what CI connects to), a Helm chart kustomize would
   * download, or an input that is not a regular file inside the repo (a symlink out, a device such
   * as /dev/zero, a file too large to be a manifest). Such builds are reported, never run.
   */
  hazards(dir: string, maxBytes: number): Hazard[] {
    const key = `${treePath(dir)}\0${maxBytes}`;
    if (this.walking.has(key)) return [];
    let out = this.hazardsByDir.get(key);
    if (out) return out;
    this.walking.add(key);
    try {
      out = this.walkHazards(treePath(dir), maxBytes);
    } finally {
      this.walking.delete(key);
    }
    this.hazardsByDir.set(key, out);
    return out;
  }

  private walkHazards(dir: string, maxBytes: number): Hazard[] {
    // The kustomization file itself first: a link to /dev/zero there is read before anything it names.
    const name = this.kustomizationFile(dir);
    if (name) {
      const own = joinTree(dir, name);
      const judged = this.judge(own, maxBytes);
      if (typeof judged === 'object') return [{ kind: 'unsafe', file: own, ref: name, reason: judged.reason }];
    }
    const found = this.kustomization(dir);
    if (found === undefined || found === 'unreadable') return []; // the build reports it
    const { file, k } = found;
    const out: Hazard[] = [];
    const check = (p: unknown): void => {
      if (typeof p !== 'string' || p.includes('\n')) return;
      if (isRemote(p)) {
        out.push({ kind: 'remote', file, ref: p, reason: 'a remote resource' });
        return;
      }
      const rel = joinTree(dir, p);
      const judged = this.judge(rel, maxBytes);
      // A folder reached twice (two bases sharing a component) is reported once.
      if (judged === 'dir') out.push(...this.hazards(rel, maxBytes).filter((h) => !out.includes(h)));
      else if (typeof judged === 'object') out.push({ kind: 'unsafe', file, ref: p, reason: judged.reason });
    };
    for (const p of referencedPaths(k)) check(p);
    for (const c of k.helmCharts ?? [])
      if (c?.repo) out.push({ kind: 'remote', file, ref: `${c.repo} ${c.name ?? ''}`.trim(), reason: 'a Helm chart kustomize would download' });
    return out;
  }

  /**
   * What reading a path kustomize follows would meet: a folder inside the repo, a file fit to read,
   * nothing (the build reports a missing input), or why it is unsafe.
   */
  private judge(rel: string, maxBytes: number): 'dir' | 'file' | { reason: string } | undefined {
    let st = this.lstat(rel);
    if (!st) return undefined;
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(join(this.root, rel));
        st = statSync(real);
      } catch {
        return { reason: 'a symlink that resolves nowhere (dangling or a loop)' };
      }
      this.realRoot ??= realpathSync(this.root);
      if (relative(this.realRoot, real).startsWith('..')) return { reason: 'a symlink that leads outside the repository' };
    }
    if (st.isDirectory()) return 'dir';
    if (!st.isFile()) return { reason: 'not a regular file' };
    if (st.size > maxBytes) return { reason: `${st.size} bytes, larger than any manifest` };
    return 'file';
  }

  /**
   * A key for the build of `dir`: its inputs' blob ids and their paths relative to `dir`, so two
   * overlays that read identical files the same way share one build.
   */
  buildKey(dir: string, extra: string): string | undefined {
    const inputs = this.inputs(dir);
    if (!inputs) return undefined;
    const h = createHash('sha256').update(extra).update('\0');
    for (const f of [...new Set(inputs)].sort()) {
      const missing = f.endsWith(MISSING);
      const path = missing ? f.slice(0, -MISSING.length) : f;
      h.update(relativeTo(treePath(dir), path)).update('\0');
      h.update(missing ? '<missing>' : this.id(path)).update('\0');
    }
    return h.digest('hex');
  }
}

/**
 * Every path a kustomization names, in field order: path lists, entries with a `path`, generator
 * sources (`key=path` forms as their path) and openapi. Lines with a newline are no path at all.
 */
function* referencedPaths(k: Kustomization): Generator<unknown> {
  for (const field of PATH_LIST_FIELDS) for (const p of k[field] ?? []) if (typeof p !== 'string' || !p.includes('\n')) yield p;
  for (const field of PATH_OBJECT_FIELDS) for (const o of k[field] ?? []) if (o?.path) yield o.path;
  for (const gen of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
    for (const f of [...(gen?.files ?? []), ...(gen?.envs ?? []), ...(gen?.env ? [gen.env] : [])])
      yield String(f).includes('=') ? String(f).split('=').slice(1).join('=') : f;
  }
  if (k.openapi?.path) yield k.openapi.path;
}

/** Parsed kustomizations' local paths: overlays share a few texts, each parsed once (TreeReader.kustomization). */
const pathsOf = new WeakMap<Kustomization, string[] | undefined>();

/** The paths a kustomization names, in order; undefined when it reads the network or a Helm chart. */
function localPaths(k: Kustomization): string[] | undefined {
  if (pathsOf.has(k)) return pathsOf.get(k);
  let out: string[] | undefined = [];
  if (k.helmCharts || k.helmChartInflationGenerator) out = undefined;
  else
    for (const p of referencedPaths(k)) {
      if (typeof p !== 'string') continue;
      if (isRemote(p)) {
        out = undefined;
        break;
      }
      out.push(p);
    }
  pathsOf.set(k, out);
  return out;
}

/** Root-relative input files of the kustomization in `dir`, or undefined when they cannot be known. */
export const kustomizationInputs = (root: string, dir: string): string[] | undefined => new TreeReader(root).inputs(dir);

/** A reference kustomize would fetch over the network (a URL, a git repo, a `?ref=`). */
export const isRemote = (p: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@') || p.includes('?ref=') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(p);

export interface Hazard {
  kind: 'remote' | 'unsafe';
  /** The kustomization that names it, repo-relative. */
  file: string;
  ref: string;
  reason: string;
}

/** The hazards of building `dir` (see TreeReader.hazards). */
export const buildHazards = (root: string, dir: string, maxBytes: number): Hazard[] => new TreeReader(root).hazards(dir, maxBytes);

/** The cache key of building `dir` (see TreeReader.buildKey). */
export const buildKey = (root: string, dir: string, extra: string): string | undefined => new TreeReader(root).buildKey(dir, extra);
