/**
 * The files a kustomization reads, found by following its fields the way kustomize does, so a
 * build can be keyed by the content of exactly its inputs. Undecidable inputs (remote resources,
 * plugins) make the build uncacheable rather than wrongly cached.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, normalize, posix, relative } from 'node:path';
import { parseYaml } from '../fast-yaml.js';
import { lstatOf, statOf } from '../repo/fs.js';
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

/** Repo-relative input files of the kustomization in `dir`, or undefined when they cannot be known. */
function readCached(files: Map<string, Buffer>, root: string, path: string): Buffer {
  let b = files.get(path);
  if (!b) {
    b = readFileSync(join(root, path));
    files.set(path, b);
  }
  return b;
}

/** Inputs per folder, for callers that ask about many overlays sharing bases (keyed by the file cache). */
const memo = new WeakMap<Map<string, Buffer>, Map<string, string[] | undefined>>();

export function kustomizationInputs(root: string, dir: string, seen = new Set<string>(), cache = new Map<string, Buffer>()): string[] | undefined {
  const key = normalize(dir);
  if (seen.has(key)) return [];
  seen.add(key);
  let known = memo.get(cache);
  if (!known) memo.set(cache, (known = new Map()));
  const memoKey = `${root}\0${key}`;
  if (known.has(memoKey)) return known.get(memoKey);
  const result = inputsOf(root, dir, seen, cache);
  known.set(memoKey, result);
  return result;
}

/** Kustomizations read by text: a fleet's overlays share a few texts (what is read is never changed). */
const parsed = new WeakMap<Map<string, Buffer>, Map<string, Kustomization | undefined>>();

function parsedKustomization(cache: Map<string, Buffer>, text: string): Kustomization | undefined {
  let byText = parsed.get(cache);
  if (!byText) parsed.set(cache, (byText = new Map()));
  if (!byText.has(text)) {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch {
      byText.set(text, undefined);
      return undefined;
    }
    byText.set(text, kustomizationOf(doc));
  }
  return byText.get(text);
}

function inputsOf(root: string, dir: string, seen: Set<string>, cache: Map<string, Buffer>): string[] | undefined {
  const file = kustomizationFile(join(root, dir));
  if (!file) return undefined;
  const k = parsedKustomization(cache, readCached(cache, root, posix.join(dir, file)).toString('utf8'));
  if (!k) return undefined;
  const files = [posix.join(dir, file)];
  const add = (p: unknown): boolean => {
    if (typeof p !== 'string') return true;
    if (isRemote(p)) return false;
    const rel = posix.normalize(posix.join(dir, p));
    // Links followed, as kustomize does; ENOTDIR or ELOOP is nothing kustomize could read either.
    const st = statOf(join(root, rel));
    if (!st) {
      files.push(`${rel}#missing`);
      return true;
    }
    if (st.isDirectory()) {
      const sub = kustomizationInputs(root, rel, seen, cache);
      if (!sub) return false;
      files.push(...sub);
    } else {
      files.push(rel);
    }
    return true;
  };
  for (const field of PATH_LIST_FIELDS) for (const p of k[field] ?? []) if (typeof p === 'string' && !p.includes('\n') && !add(p)) return undefined;
  for (const field of PATH_OBJECT_FIELDS) for (const o of k[field] ?? []) if (o?.path && !add(o.path)) return undefined;
  for (const gen of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
    for (const f of [...(gen?.files ?? []), ...(gen?.envs ?? []), ...(gen?.env ? [gen.env] : [])]) {
      const path = String(f).includes('=') ? String(f).split('=').slice(1).join('=') : f;
      if (!add(path)) return undefined;
    }
  }
  if (k.openapi?.path && !add(k.openapi.path)) return undefined;
  if (k.helmCharts || k.helmChartInflationGenerator) return undefined;
  return files;
}

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

/**
 * What makes a build unsafe to run offline on a pull request's content: a remote resource (the
 * pull request would choose what CI connects to), a Helm chart kustomize would download, or an
 * input that is not a regular file inside the repo (a symlink out, a device such as /dev/zero,
 * a file too large to be a manifest). Such builds are reported, never run.
 */
export function buildHazards(root: string, dir: string, maxBytes: number, seen = new Set<string>()): Hazard[] {
  const key = posix.normalize(dir);
  if (seen.has(key)) return [];
  seen.add(key);
  const name = kustomizationFile(join(root, dir));
  if (!name) return [];
  const file = posix.join(dir, name);
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(join(root, file), 'utf8'));
  } catch {
    return []; // the build reports it
  }
  const k = kustomizationOf(doc);
  const out: Hazard[] = [];
  const check = (p: unknown): void => {
    if (typeof p !== 'string' || p.includes('\n')) return;
    if (isRemote(p)) {
      out.push({ kind: 'remote', file, ref: p, reason: 'a remote resource' });
      return;
    }
    const rel = posix.normalize(posix.join(dir, p));
    const abs = join(root, rel);
    let st = lstatOf(abs);
    if (!st) return; // missing: the build reports it
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(abs);
        st = statSync(real);
      } catch {
        out.push({ kind: 'unsafe', file, ref: p, reason: 'a symlink that resolves nowhere (dangling or a loop)' });
        return;
      }
      if (relative(realpathSync(root), real).startsWith('..')) {
        out.push({ kind: 'unsafe', file, ref: p, reason: 'a symlink that leads outside the repository' });
        return;
      }
    }
    if (st.isDirectory()) out.push(...buildHazards(root, rel, maxBytes, seen));
    else if (!st.isFile()) out.push({ kind: 'unsafe', file, ref: p, reason: 'not a regular file' });
    else if (st.size > maxBytes) out.push({ kind: 'unsafe', file, ref: p, reason: `${st.size} bytes, larger than any manifest` });
  };
  for (const field of PATH_LIST_FIELDS) for (const p of k[field] ?? []) check(p);
  for (const field of PATH_OBJECT_FIELDS) for (const o of k[field] ?? []) check(o?.path);
  for (const gen of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
    for (const f of [...(gen?.files ?? []), ...(gen?.envs ?? []), ...(gen?.env ? [gen.env] : [])])
      check(String(f).includes('=') ? String(f).split('=').slice(1).join('=') : f);
  }
  if (k.openapi?.path) check(k.openapi.path);
  for (const c of k.helmCharts ?? [])
    if (c?.repo) out.push({ kind: 'remote', file, ref: `${c.repo} ${c.name ?? ''}`.trim(), reason: 'a Helm chart kustomize would download' });
  return out;
}

/**
 * A key for the build of `dir`: its inputs' contents and their paths relative to `dir`, so two
 * overlays that read identical files the same way share one build.
 */
export function buildKey(root: string, dir: string, extra: string, files = new Map<string, Buffer>()): string | undefined {
  const inputs = kustomizationInputs(root, dir, new Set(), files);
  if (!inputs) return undefined;
  const h = createHash('sha256').update(extra).update('\0');
  for (const f of [...new Set(inputs)].sort()) {
    const missing = f.endsWith('#missing');
    const path = missing ? f.slice(0, -'#missing'.length) : f;
    h.update(posix.relative(dir, path)).update('\0');
    h.update(missing ? '<missing>' : readCached(files, root, path)).update('\0');
  }
  return h.digest('hex');
}
