/**
 * The one secret detector: finds credential values in parsed objects (never in text), for the leak
 * guard, validate and diff redaction. It sees what Kubernetes, kustomize and Argo CD see: Secrets in
 * any spelling the YAML parser resolves (flow style, aliases, tags, merge keys), items of `List`
 * kinds, kustomize `secretGenerator` inputs, and credential-named Helm values of Applications.
 */
import { parseAllDocuments } from 'yaml';
import { PLACEHOLDER_ANNOTATION } from '../render/layout.js';

export type ValuePath = (string | number)[];

export interface SecretValue {
  /** Where the value sits in the parsed document. */
  path: ValuePath;
  /** What holds it, for messages: `Secret ns/name`, `secretGenerator name`, `Application name`. */
  owner: string;
  key: string;
  /** A credential in clear: refused by generate/seal, an error in validate. */
  clear: boolean;
}

/** Names of values that are credentials (not names of Secrets that hold them). */
export const CREDENTIAL_NAME = /(^|[-_.]|[a-z])(password|passwd|token|api[-_]?key|secret[-_]?key|access[-_]?key|client[-_]?secret|private[-_]?key)$|^secret$/i;

/** A value that is a Helm/Argo template, an env reference or a `<to fill in>`: no credential. */
const TEMPLATE_OR_EMPTY = /^\s*$|^\s*(\{\{[^{}]*\}\}\s*)+$|^\$\{[^{}]*\}$|^<[^<>]*>$/;

/** Values the renderer writes into placeholder Secrets; anything else there is a real value. */
const PLACEHOLDER_VALUES = new Set(['', '{"auths":{}}', Buffer.from('{"auths":{}}').toString('base64')]);
/** Keys of an Argo CD repository Secret that are settings, not credentials. */
const REPOSITORY_SETTINGS = new Set(['name', 'type', 'url', 'enableOCI', 'project', 'insecure', 'forceHttpBasicAuth', 'enableLfs']);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCore = (apiVersion: unknown) => apiVersion === undefined || apiVersion === 'v1';
const nameOf = (o: Record<string, unknown>) => {
  const m = isObject(o.metadata) ? o.metadata : {};
  return `${typeof m.namespace === 'string' ? `${m.namespace}/` : ''}${String(m.name ?? '(unnamed)')}`;
};

/** Every Secret value in one parsed document (JSON or YAML), clear or not. */
export function secretValues(doc: unknown, path: ValuePath = []): SecretValue[] {
  if (Array.isArray(doc)) return doc.flatMap((x, i) => secretValues(x, [...path, i]));
  if (!isObject(doc)) return [];
  const kind = typeof doc.kind === 'string' ? doc.kind : '';
  const out: SecretValue[] = [];
  // `List`, `SecretList` and other lists: kubectl and kustomize apply their items.
  if (kind.endsWith('List') && Array.isArray(doc.items)) out.push(...secretValues(doc.items, [...path, 'items']));
  if (kind === 'Secret' && isCore(doc.apiVersion)) out.push(...secretData(doc, path));
  if (kind === 'SealedSecret' && isObject(doc.spec)) {
    const owner = `SealedSecret ${nameOf(doc)}`;
    for (const [k] of entries(doc.spec.encryptedData)) out.push({ path: [...path, 'spec', 'encryptedData', k], owner, key: k, clear: false });
  }
  // A kustomization needs no kind; its generators put file contents and literals into Secrets.
  if (Array.isArray(doc.secretGenerator)) out.push(...generatorValues(doc.secretGenerator, [...path, 'secretGenerator']));
  if (kind === 'Application' && String(doc.apiVersion ?? '').startsWith('argoproj.io/')) out.push(...helmValues(doc.spec, [...path, 'spec'], `Application ${nameOf(doc)}`));
  if (kind === 'ApplicationSet' && isObject(doc.spec) && isObject(doc.spec.template)) {
    out.push(...helmValues(doc.spec.template.spec, [...path, 'spec', 'template', 'spec'], `ApplicationSet ${nameOf(doc)}`));
  }
  return out;
}

function entries(v: unknown): [string, unknown][] {
  return isObject(v) ? Object.entries(v) : [];
}

function secretData(doc: Record<string, unknown>, path: ValuePath): SecretValue[] {
  const owner = `Secret ${nameOf(doc)}`;
  const annotations = isObject(doc.metadata) && isObject(doc.metadata.annotations) ? doc.metadata.annotations : {};
  const placeholder = annotations[PLACEHOLDER_ANNOTATION] !== undefined;
  const out: SecretValue[] = [];
  for (const field of ['data', 'stringData'] as const) {
    for (const [k, v] of entries(doc[field])) {
      const text = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      const clear = placeholder ? !PLACEHOLDER_VALUES.has(text) && !REPOSITORY_SETTINGS.has(k) : !TEMPLATE_OR_EMPTY.test(text);
      out.push({ path: [...path, field, k], owner, key: k, clear });
    }
  }
  return out;
}

function generatorValues(generators: unknown[], path: ValuePath): SecretValue[] {
  const out: SecretValue[] = [];
  generators.forEach((g, i) => {
    if (!isObject(g)) return;
    const owner = `secretGenerator ${String(g.name ?? i)}`;
    const list = (field: string): unknown[] => (Array.isArray(g[field]) ? (g[field] as unknown[]) : g[field] === undefined ? [] : [g[field]]);
    list('literals').forEach((l, j) => {
      const [key = '', ...rest] = String(l).split('=');
      out.push({ path: [...path, i, 'literals', j], owner, key, clear: !TEMPLATE_OR_EMPTY.test(rest.join('=')) });
    });
    // Files and env files are read from the repo: their contents are credentials in git.
    for (const field of ['files', 'envs', 'env']) {
      list(field).forEach((f, j) => out.push({ path: [...path, i, field, ...(Array.isArray(g[field]) ? [j] : [])], owner, key: String(f).split('=')[0]!, clear: true }));
    }
  });
  return out;
}

/** Helm parameters and values of an Application's sources that look like credentials with a literal value. */
function helmValues(spec: unknown, path: ValuePath, owner: string): SecretValue[] {
  if (!isObject(spec)) return [];
  const sources: [unknown, ValuePath][] = Array.isArray(spec.sources) ? spec.sources.map((s, i) => [s, [...path, 'sources', i]]) : [[spec.source, [...path, 'source']]];
  const out: SecretValue[] = [];
  for (const [src, at] of sources) {
    if (!isObject(src) || !isObject(src.helm)) continue;
    const helm = src.helm;
    if (Array.isArray(helm.parameters)) {
      helm.parameters.forEach((p, i) => {
        if (!isObject(p)) return;
        const leaf = String(p.name ?? '').split('.').pop()!;
        if (CREDENTIAL_NAME.test(leaf) && typeof p.value === 'string' && !TEMPLATE_OR_EMPTY.test(p.value)) {
          out.push({ path: [...at, 'helm', 'parameters', i, 'value'], owner, key: `Helm parameter ${String(p.name)}`, clear: true });
        }
      });
    }
    // values as a string is one YAML document: it is redacted whole when it holds a credential.
    const inline = typeof helm.values === 'string' ? parseQuietly(helm.values) : undefined;
    for (const [values, base, whole] of [
      [helm.valuesObject, [...at, 'helm', 'valuesObject'], false],
      [isObject(helm.values) ? helm.values : inline, [...at, 'helm', 'values'], inline !== undefined],
    ] as [unknown, ValuePath, boolean][]) {
      leaves(values, [], (p, v) => {
        const leaf = String(p[p.length - 1] ?? '');
        if (CREDENTIAL_NAME.test(leaf) && typeof v === 'string' && !TEMPLATE_OR_EMPTY.test(v)) {
          out.push({ path: whole ? base : [...base, ...p], owner, key: `Helm value ${p.join('.')}`, clear: true });
        }
      });
    }
  }
  return out;
}

function parseQuietly(text: string): unknown {
  const docs = parseDocuments(text);
  return docs.ok ? docs.objects[0] : undefined;
}

function leaves(v: unknown, path: ValuePath, fn: (path: ValuePath, v: unknown) => void): void {
  if (isObject(v)) for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], fn);
  else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], fn));
  else fn(path, v);
}

/** Largest YAML/JSON text parsed; larger files are refused with a clear message instead of a minute-long parse. */
export const MAX_PARSE_BYTES = 4 * 1024 * 1024;

export type Parsed = { ok: true; objects: unknown[] } | { ok: false; reason: string };

/**
 * Parses YAML or JSON the way Kubernetes' loaders resolve it (merge keys on, duplicate keys allowed,
 * aliases bounded). JSON goes through JSON.parse first: fast for large generated files.
 */
export function parseDocuments(text: string): Parsed {
  if (text.length > MAX_PARSE_BYTES) return { ok: false, reason: `larger than ${MAX_PARSE_BYTES / 1024 / 1024} MiB` };
  if (/^\s*[[{]/.test(text)) {
    try {
      return { ok: true, objects: [JSON.parse(text) as unknown] };
    } catch {
      // YAML flow style, or several documents: the YAML parser decides
    }
  }
  const objects: unknown[] = [];
  for (const doc of parseAllDocuments(text, { merge: true, uniqueKeys: false })) {
    if (doc.errors.length > 0) return { ok: false, reason: doc.errors[0]!.message.split('\n')[0]! };
    try {
      objects.push(doc.toJS({ maxAliasCount: 100 }));
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  }
  return { ok: true, objects };
}
