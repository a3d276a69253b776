/**
 * The one serializer for every YAML file we write: fixed options, Kubernetes key order first.
 *
 * Most generated objects are plain maps and lists of single-line strings, integers and booleans;
 * those are written directly, byte for byte as `yaml` writes them (its rules for when a scalar
 * needs quotes are applied exactly). Anything else in a document (a multi-line string, one that
 * needs escapes, a float, a list in a list) sends the whole document through
 * `yaml`, so the output never depends on which path ran. test/render/yaml.test.ts holds the two
 * to the same bytes.
 */
import { stringify } from 'yaml';

export type K8sObject = { apiVersion: string; kind: string; metadata?: Record<string, unknown>; [k: string]: unknown };

const FIRST = ['apiVersion', 'kind', 'metadata'];

const OPTIONS = { lineWidth: 0, indent: 2, indentSeq: true, aliasDuplicateObjects: false, defaultStringType: 'PLAIN' } as const;

/** The document with its keys in topKeys' order, for `yaml` to write. */
const ordered = (obj: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(topKeys(obj).map((k) => [k, obj[k]]));

export function toYaml(doc: object, comment?: string): string {
  const body = emitPlain(doc as Record<string, unknown>) ?? stringify(ordered(doc as Record<string, unknown>), OPTIONS);
  return comment
    ? `${comment
        .split('\n')
        .map((l) => `# ${l}`.trimEnd())
        .join('\n')}\n${body}`
    : body;
}

/** Thrown inside the direct writer when a value needs `yaml`'s full rules. */
const NEEDS_YAML = Symbol('needs yaml');

/** `yaml`'s reasons a single-line plain scalar must be quoted (stringifyString.js, plainString). */
const INDICATOR = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/;
/** The core schema's tests: a plain scalar matching one would read back as null, a bool or a number. */
const OTHER_TYPE = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
];

/**
 * A string as `yaml` writes it as a key or a block value: plain when it reads back as the same
 * string, else quoted when that needs no escapes (a sync wave "2", a '{"auths":{}}').
 */
function str(s: string): string {
  let written = WRITTEN.get(s);
  if (written === undefined) {
    written = quote(s);
    if (WRITTEN.size < MAX_REMEMBERED) WRITTEN.set(s, written);
  }
  return written;
}

/** Keys and names repeat across thousands of documents: each string is judged once. */
const WRITTEN = new Map<string, string>();
const MAX_REMEMBERED = 100_000;

function quote(s: string): string {
  if (s.length > 1000 || s.includes('\n') || s.includes('\t') || CONTROL.test(s) || DOCUMENT_MARKER.test(s)) throw NEEDS_YAML;
  if (!INDICATOR.test(s) && !OTHER_TYPE.some((t) => t.test(s))) return s;
  // `yaml` takes single quotes for a string with a double quote and no single quote in it.
  if (s.includes('"')) {
    if (s.includes("'")) throw NEEDS_YAML;
    return `'${s}'`;
  }
  const quoted = JSON.stringify(s);
  if (quoted.includes('\\')) throw NEEDS_YAML;
  return quoted;
}

function scalar(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return str(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw NEEDS_YAML;
      return String(v);
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) throw NEEDS_YAML;
      for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return undefined;
      return '{}';
    default:
      throw NEEDS_YAML;
  }
}

/** A map's entries at `indent`; the first line starts with `first` instead (a list item's `- `). */
function map(obj: Record<string, unknown>, indent: string, out: string[], first = indent, keys = Object.keys(obj)): void {
  let lead = first;
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    const s = scalar(v);
    out.push(lead, str(key), ':');
    lead = indent;
    if (s !== undefined) out.push(' ', s, '\n');
    else {
      out.push('\n');
      block(v, `${indent}  `, out);
    }
  }
}

function seq(items: unknown[], indent: string, out: string[]): void {
  for (const item of items) {
    const s = scalar(item);
    if (s !== undefined) out.push(indent, '- ', s, '\n');
    else if (Array.isArray(item)) throw NEEDS_YAML;
    else map(item as Record<string, unknown>, `${indent}  `, out, `${indent}- `);
  }
}

function block(v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) seq(v, indent, out);
  else map(v as Record<string, unknown>, indent, out);
}

/**
 * A document's keys as both writers write them: Kubernetes' first, the rest as they came. A JS
 * object lists integer-like keys first whatever the insertion order, so Kubernetes' keys come right
 * after those: the `yaml` fallback writes an object (`ordered`), and both orders must agree.
 */
function topKeys(doc: Record<string, unknown>): string[] {
  const keys = Object.keys(doc);
  let at = 0;
  while (at < keys.length && isArrayIndex(keys[at]!)) at++;
  for (const k of FIRST) {
    const i = keys.indexOf(k);
    if (i < 0) continue;
    keys.splice(i, 1);
    keys.splice(at++, 0, k);
  }
  return keys;
}
const isArrayIndex = (key: string) => /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;

/** The document as `yaml` writes it (Kubernetes keys first, as toYaml orders them), or undefined when it needs `yaml` to write it. */
export function emitPlain(doc: Record<string, unknown>): string | undefined {
  try {
    const s = scalar(doc);
    if (s !== undefined) return `${s}\n`;
    const out: string[] = [];
    map(doc, '', out, '', topKeys(doc));
    return out.join('');
  } catch (e) {
    if (e === NEEDS_YAML) return undefined;
    throw e;
  }
}
