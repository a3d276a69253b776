/**
 * Overlay shapes: overlays that differ only in a few string values of their own patch files (a
 * cluster's name, its network) share one kustomize build. The shared build runs on a template
 * where the varying values are unique tokens, and each overlay's result is the template's output
 * with its own values put back. One member is also built for real and compared, so a shape whose
 * tokens would change what kustomize does falls back to separate builds.
 */
import { createHash } from 'node:crypto';
import { isScalar, parse, parseAllDocuments, stringify, visit } from 'yaml';
import { loadStrictDocuments } from '../fast-yaml.js';
import { isObj } from '../objects.js';
import { MISSING, PATH_LIST_FIELDS, PATH_OBJECT_FIELDS, relativeTo, treePath, type TreeReader } from './inputs.js';
import { asMap } from './objects.js';

/** Keys whose values steer merging or patching; a varying value there is never tokenized. */
const PROTECTED_KEYS = new Set([
  'apiVersion',
  'kind',
  'name',
  'namespace',
  'key',
  'path',
  'op',
  'from',
  'port',
  'containerPort',
  'mountPath',
  'topologyKey',
  'ip',
  '$patch',
  'image',
  'newName',
  'newTag',
  'digest',
]);

export interface ShapeMember {
  /** Repo-relative overlay folder. */
  dir: string;
  shapeKey: string;
  /** Tokenizable string values, in document order, of the overlay's own non-kustomization files. */
  values: string[];
  /** The overlay's own files: path relative to the overlay -> text (parsed again only for a template). */
  local: Map<string, string>;
  kustomization: string;
}

/** The shape of the overlay in `dir`, or undefined when it cannot share a build safely. */
export function overlayShape(reader: TreeReader, dir: string, extra: string): ShapeMember | undefined {
  const inputs = reader.inputs(dir);
  const at = treePath(dir);
  if (!inputs || inputs.some((f) => f.endsWith(MISSING))) return undefined;
  const found = reader.kustomization(dir);
  if (found === undefined || found === 'unreadable') return undefined;
  const { file, k } = found;
  // Generators name objects by content hash; keep them out of shared builds.
  if (k.configMapGenerator || k.secretGenerator || k.generators || k.transformers || k.helmCharts) return undefined;
  // The kustomization by blob id (git may know it unread); its text is read for a group's template only.
  const h = createHash('sha256').update(extra).update('\0').update(reader.id(file)).update('\0');
  const values: string[] = [];
  const local = new Map<string, string>();
  for (const f of [...new Set(inputs)].sort()) {
    const rel = relativeTo(at, f);
    if (rel.startsWith('..')) {
      h.update(`${rel}\0`).update(reader.id(f)).update('\0');
      continue;
    }
    if (f === file) continue;
    const text = reader.read(f).toString('utf8');
    // Anchors and aliases would be walked once per use here but once in the template: no sharing.
    if (/[&*]|<</.test(text)) return undefined;
    let docs: unknown[];
    try {
      docs = loadStrictDocuments(text);
    } catch {
      return undefined;
    }
    local.set(rel, text);
    h.update(`${rel}\0`);
    for (const d of docs) h.update(skeleton(d, values)).update('\0');
  }
  return {
    dir,
    shapeKey: h.digest('hex'),
    values,
    local,
    get kustomization() {
      return reader.read(file).toString('utf8');
    },
  };
}

/**
 * The document with tokenizable strings replaced by a marker, as JSON; their values are appended to
 * `values` in the order templateFiles visits them: a map's pairs in order (a string value, then what
 * is nested under the pair), a list's string items first, then what is nested in its items.
 */
function skeleton(doc: unknown, values: string[]): string {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const items = node.map((item) => {
        if (typeof item !== 'string') return item;
        values.push(item);
        return '\u0000';
      });
      return items.map((item) => (item !== null && typeof item === 'object' ? walk(item) : item));
    }
    if (!isObj(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && !PROTECTED_KEYS.has(key)) {
        values.push(value);
        out[key] = '\u0000';
      } else out[key] = value !== null && typeof value === 'object' ? walk(value) : value;
    }
    return out;
  };
  return JSON.stringify(walk(doc));
}

/** Writes the shape's template: varying values become tokens; everything else stays as written. */
export function templateFiles(
  member: ShapeMember,
  varying: Set<number>,
  token: (i: number) => string,
  rewritePath: (p: string) => string,
): Map<string, string> {
  const files = new Map<string, string>();
  let index = 0;
  for (const [rel, text] of member.local) {
    const out = parseAllDocuments(text).map((doc) => {
      const clone = doc.clone();
      const swap = (node: { value: unknown }) => {
        if (varying.has(index)) node.value = token(index);
        index++;
      };
      visit(clone, {
        Pair(_, pair) {
          const key = isScalar(pair.key) ? String(pair.key.value) : '';
          if (isScalar(pair.value) && typeof pair.value.value === 'string' && !PROTECTED_KEYS.has(key)) swap(pair.value);
        },
        Seq(_, seq) {
          for (const item of seq.items) if (isScalar(item) && typeof item.value === 'string') swap(item);
        },
      });
      return clone.toString();
    });
    files.set(rel, out.join('---\n'));
  }
  const k = asMap(parse(member.kustomization));
  for (const field of PATH_LIST_FIELDS) {
    const paths = k[field];
    if (Array.isArray(paths)) k[field] = paths.map((p: unknown) => (typeof p === 'string' ? rewritePath(p) : p));
  }
  for (const field of PATH_OBJECT_FIELDS) {
    const entries = k[field];
    if (Array.isArray(entries)) for (const o of entries) if (isObj(o) && typeof o.path === 'string') o.path = rewritePath(o.path);
  }
  files.set('kustomization.yaml', stringify(k));
  return files;
}

/**
 * Replaces tokens in every string (keys included) of a built object. Parts of it without `marker`
 * anywhere are returned as they are, so every member of a shape shares them: built objects are
 * frozen once handed out (builds.ts), never changed.
 */
export function substitute(value: unknown, replace: (s: string) => string, marker: string): unknown {
  if (typeof value === 'string') return value.includes(marker) ? replace(value) : value;
  if (value === null || typeof value !== 'object' || !holds(value, marker)) return value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, replace, marker));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.includes(marker) ? replace(k) : k] = substitute(v, replace, marker);
  return out;
}

/** Whether a string anywhere in `value` (keys included) holds `marker`; answered once per object. */
const marked = new WeakMap<object, boolean>();
function holds(value: object, marker: string): boolean {
  let found = marked.get(value);
  if (found === undefined) {
    const has = (v: unknown): boolean => (typeof v === 'string' ? v.includes(marker) : v !== null && typeof v === 'object' && holds(v, marker));
    found = Array.isArray(value) ? value.some(has) : Object.entries(value).some(([k, v]) => k.includes(marker) || has(v));
    marked.set(value, found);
  }
  return found;
}
