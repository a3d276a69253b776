/**
 * The files a kustomization reads, found by following its fields the way kustomize does, so a
 * build can be keyed by the content of exactly its inputs. Undecidable inputs (remote resources,
 * plugins) make the build uncacheable rather than wrongly cached.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, posix } from 'node:path';
import { parse } from 'yaml';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Kustomization fields that list paths, and fields whose entries carry a `path`. */
export const PATH_LIST_FIELDS = ['resources', 'bases', 'components', 'crds', 'configurations', 'patchesStrategicMerge', 'generators', 'transformers', 'validators'];
export const PATH_OBJECT_FIELDS = ['patches', 'patchesJson6902', 'replacements'];

/** Largest single input file: kustomize would read a bigger one (or /dev/zero) for ever. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export function kustomizationFile(absDir: string): string | undefined {
  return KUSTOMIZATION_FILES.find((f) => existsSync(join(absDir, f)));
}

function readCached(files: Map<string, Buffer>, root: string, path: string): Buffer {
  let b = files.get(path);
  if (!b) {
    b = readFileSync(join(root, path));
    files.set(path, b);
  }
  return b;
}

/**
 * What a kustomization tree reads: repo-relative files, or why it cannot be built offline and safely:
 * remote references (never fetched unless allowed) and inputs that are not regular files of bounded
 * size (a FIFO, a device, a symlink loop would hang kustomize).
 */
export interface Inputs {
  files: string[];
  remote: string[];
  unsafe: string[];
  /** Inputs that cannot be enumerated (Helm charts, unparsable kustomizations): build, never cache. */
  opaque: boolean;
}

/** A reference kustomize resolves over the network: a URL, an scp-style git address, or `host.tld/org/repo` that is not a local path. */
export function isRemoteRef(p: string, existsLocally: boolean): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /^(git::|gh:|git@)/.test(p) || p.includes('?ref=') || p.includes('//?')) return true;
  return !existsLocally && /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\//i.test(p);
}

/** Inputs per folder, for callers that ask about many overlays sharing bases (keyed by the file cache). */
const memo = new WeakMap<Map<string, Buffer>, Map<string, Inputs>>();

export function inputsOf(root: string, dir: string, seen = new Set<string>(), cache = new Map<string, Buffer>()): Inputs {
  const key = normalize(dir);
  if (seen.has(key)) return { files: [], remote: [], unsafe: [], opaque: false };
  seen.add(key);
  let known = memo.get(cache);
  if (!known) memo.set(cache, (known = new Map()));
  const memoKey = `${root}\0${key}`;
  const hit = known.get(memoKey);
  if (hit) return hit;
  const result = collect(root, dir, seen, cache);
  known.set(memoKey, result);
  return result;
}

/** Repo-relative input files of the kustomization in `dir`, or undefined when they cannot be known. */
export function kustomizationInputs(root: string, dir: string, seen = new Set<string>(), cache = new Map<string, Buffer>()): string[] | undefined {
  const r = inputsOf(root, dir, seen, cache);
  return r.opaque || r.remote.length || r.unsafe.length ? undefined : r.files;
}

function collect(root: string, dir: string, seen: Set<string>, cache: Map<string, Buffer>): Inputs {
  const out: Inputs = { files: [], remote: [], unsafe: [], opaque: false };
  const file = kustomizationFile(join(root, dir));
  if (!file) return { ...out, opaque: true };
  const st = statSync(join(root, dir, file));
  if (!st.isFile() || st.size > MAX_INPUT_BYTES) return { ...out, unsafe: [`${posix.join(dir, file)} (not a regular file of bounded size)`] };
  let k: Record<string, any>;
  try {
    k = parse(readCached(cache, root, posix.join(dir, file)).toString('utf8')) ?? {};
  } catch {
    return { ...out, opaque: true };
  }
  out.files.push(posix.join(dir, file));
  const add = (p: unknown): void => {
    if (typeof p !== 'string' || p.includes('\n')) return;
    const rel = posix.normalize(posix.join(dir, p));
    const abs = join(root, rel);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (isRemoteRef(p, false)) out.remote.push(p);
      else if (code === 'ENOENT' || code === 'ENOTDIR') out.files.push(`${rel}#missing`);
      else out.unsafe.push(`${rel} (${code})`);
      return;
    }
    if (isRemoteRef(p, true)) out.remote.push(p);
    else if (st.isDirectory()) {
      const sub = inputsOf(root, rel, seen, cache);
      out.files.push(...sub.files);
      out.remote.push(...sub.remote);
      out.unsafe.push(...sub.unsafe);
      out.opaque ||= sub.opaque;
    } else if (!st.isFile()) out.unsafe.push(`${rel} (not a regular file)`);
    else if (st.size > MAX_INPUT_BYTES) out.unsafe.push(`${rel} (${st.size} bytes)`);
    else out.files.push(rel);
  };
  for (const field of PATH_LIST_FIELDS) for (const p of list(k[field])) add(p);
  for (const field of PATH_OBJECT_FIELDS) for (const o of list(k[field])) add(o?.path);
  for (const gen of [...list(k.configMapGenerator), ...list(k.secretGenerator)]) {
    for (const f of [...list(gen?.files), ...list(gen?.envs), ...(gen?.env ? [gen.env] : [])]) add(String(f).includes('=') ? String(f).split('=').slice(1).join('=') : f);
  }
  add(k.openapi?.path);
  if (k.helmCharts || k.helmChartInflationGenerator) out.opaque = true;
  return out;
}

const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

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
