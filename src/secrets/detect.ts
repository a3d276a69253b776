/**
 * The one secret detector: every parsed object a repo or a build holds, in any spelling YAML or
 * JSON allows (flow style, aliases, tags, escapes), is checked as data, never as text. It finds
 * Secrets (also inside `List` items), kustomize `secretGenerator` values, placeholder Secrets
 * that carry real values, and credentials custom resources hold as literal fields. Used by the leak guard, validate, diff redaction and the build cache.
 */
import { parseAllDocuments } from 'yaml';
import { loadDocuments } from '../fast-yaml.js';
import { isObj, type Obj } from '../objects.js';

/** Marks a Secret whose values still have to be sealed; `validate` reports it. */
export const PLACEHOLDER_ANNOTATION = 'calisti-gitops.io/placeholder';

/** Keys a placeholder Secret may hold: what the renderer's placeholders carry, none a credential. */
const PLACEHOLDER_KEYS = new Set(['name', 'type', 'url', 'enableOCI', 'project', 'server']);
const EMPTY_DOCKER_CONFIG = (v: string) => {
  try {
    const c = JSON.parse(v) as { auths?: unknown };
    return isObj(c) && Object.keys(c).length === 1 && isObj(c.auths) && Object.keys(c.auths).length === 0;
  } catch {
    return false;
  }
};

/** The objects a parsed document holds: itself, and the items of a `List` (any `*List` kind). */
export function objectsOf(doc: unknown): Obj[] {
  if (!isObj(doc)) return [];
  const kind = doc.kind;
  if (typeof kind === 'string' && /List$/.test(kind) && Array.isArray(doc.items)) return [doc, ...doc.items.flatMap(objectsOf)];
  return [doc];
}

export const isSecret = (o: Obj) => o.kind === 'Secret' && (o.apiVersion === undefined || o.apiVersion === 'v1');

/** A Secret's values by key, decoded: `data` is base64, `stringData` is text. */
function secretValues(o: Obj): [string, string][] {
  const out: [string, string][] = [];
  if (isObj(o.data))
    for (const [k, v] of Object.entries(o.data)) out.push([k, typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : String(v ?? '')]);
  if (isObj(o.stringData)) for (const [k, v] of Object.entries(o.stringData)) out.push([k, v === null || v === undefined ? '' : String(v)]);
  return out;
}

export const isPlaceholder = (o: Obj) => isObj(o.metadata) && isObj(o.metadata.annotations) && o.metadata.annotations[PLACEHOLDER_ANNOTATION] !== undefined;

/**
 * The keys of a Secret that hold a value in clear. A placeholder may hold only the empty docker
 * config and the non-secret keys the renderer puts there; anything else is a real value.
 */
export function plaintextKeys(o: Obj): string[] {
  if (!isSecret(o)) return [];
  const placeholder = isPlaceholder(o);
  return secretValues(o)
    .filter(([k, v]) => v !== '' && !(placeholder && (PLACEHOLDER_KEYS.has(k) || (k === '.dockerconfigjson' && EMPTY_DOCKER_CONFIG(v)))))
    .map(([k]) => k)
    .sort();
}

/** `secretGenerator` entries of a kustomization whose values would sit in git: literals, envs, files. */
export function generatorValues(o: Obj): string[] {
  const gens = o.secretGenerator;
  if (!Array.isArray(gens)) return [];
  const out: string[] = [];
  for (const g of gens) {
    if (!isObj(g)) continue;
    const name = typeof g.name === 'string' ? g.name : '?';
    for (const l of Array.isArray(g.literals) ? g.literals : []) {
      const [k, ...v] = String(l).split('=');
      if (v.join('=') !== '') out.push(`${name}: literal ${k}`);
    }
    for (const f of [...(Array.isArray(g.envs) ? g.envs : []), ...(typeof g.env === 'string' ? [g.env] : []), ...(Array.isArray(g.files) ? g.files : [])])
      out.push(`${name}: from ${String(f)}`);
  }
  return out;
}

/** Names of values that are credentials (not names of Secrets that hold them). */
export const CREDENTIAL_NAME = /(^|[-_.]|[a-z])(password|passwd|token|api[-_]?key|secret[-_]?key|access[-_]?key|client[-_]?secret|private[-_]?key)$|^secret$/i;
const TEMPLATE_OR_EMPTY = /^\s*$|^\{\{.*\}\}$|^\$\{.*\}$|^<.*>$/;

function walkLeaves(v: unknown, path: string, fn: (path: string, v: unknown) => void): void {
  if (isObj(v)) for (const [k, x] of Object.entries(v)) walkLeaves(x, path ? `${path}.${k}` : k, fn);
  else if (Array.isArray(v)) v.forEach((x, i) => walkLeaves(x, `${path}[${i}]`, fn));
  else fn(path, v);
}

/**
 * Helm parameters and values of an Application (or an ApplicationSet's template) that look like
 * credentials with a literal value: Argo CD would pass them in clear.
 */
export function helmCredentials(o: Obj): string[] {
  const spec = o.kind === 'ApplicationSet' && isObj(o.spec) && isObj(o.spec.template) ? o.spec.template.spec : o.kind === 'Application' ? o.spec : undefined;
  if (!isObj(spec)) return [];
  const sources = Array.isArray(spec.sources) ? spec.sources : isObj(spec.source) ? [spec.source] : [];
  const out: string[] = [];
  const literal = (name: string, v: unknown) => CREDENTIAL_NAME.test(name.split('.').pop()!) && typeof v === 'string' && !TEMPLATE_OR_EMPTY.test(v);
  for (const src of sources) {
    const helm = isObj(src) && isObj(src.helm) ? src.helm : undefined;
    if (!helm) continue;
    for (const p of Array.isArray(helm.parameters) ? helm.parameters : [])
      if (isObj(p) && literal(String(p.name ?? ''), p.value)) out.push(`Helm parameter ${String(p.name)}`);
    let values: unknown = helm.valuesObject ?? helm.values;
    if (typeof values === 'string') values = parseDocuments('values.yaml', values)[0];
    walkLeaves(values, '', (path, v) => literal(path, v) && out.push(`Helm value ${path}`));
  }
  return out;
}

/**
 * Credentials that custom resources take as literal fields: the dashboard's OIDC client secret in
 * a Calisti ControlPlane (docs 2.5.10.2). `calisti-gitops seal --target oidc` is the way to set it.
 */
const LITERAL_CREDENTIAL_FIELDS: { apiGroup: string; kind: string; path: string[] }[] = [
  { apiGroup: 'smm.cisco.com', kind: 'ControlPlane', path: ['spec', 'smm', 'auth', 'oidc', 'client', 'secret'] },
];

export function resourceCredentials(o: Obj): string[] {
  return LITERAL_CREDENTIAL_FIELDS.filter((f) => o.kind === f.kind && String(o.apiVersion ?? '').startsWith(`${f.apiGroup}/`))
    .filter((f) => {
      const v = f.path.reduce<unknown>((cur, k) => (isObj(cur) ? cur[k] : undefined), o);
      return typeof v === 'string' && !TEMPLATE_OR_EMPTY.test(v);
    })
    .map((f) => f.path.join('.'));
}

export interface Leak {
  /** `Secret/ns/name` or `secretGenerator`. */
  what: string;
  keys: string[];
}

/** Every value in clear in one parsed document. */
export function leaksIn(doc: unknown): Leak[] {
  const out: Leak[] = [];
  for (const o of objectsOf(doc)) {
    const keys = plaintextKeys(o);
    if (keys.length) {
      const md = isObj(o.metadata) ? o.metadata : {};
      out.push({ what: `Secret/${md.namespace ? `${String(md.namespace)}/` : ''}${String(md.name ?? '?')}`, keys });
    }
    const gen = generatorValues(o);
    if (gen.length) out.push({ what: 'secretGenerator', keys: gen });
    const fields = resourceCredentials(o);
    if (fields.length) out.push({ what: `${String(o.kind)}/${String((isObj(o.metadata) && o.metadata.name) || '?')}`, keys: fields });
    const helm = helmCredentials(o);
    if (helm.length) out.push({ what: `${String(o.kind)}/${String((isObj(o.metadata) && o.metadata.name) || '?')}`, keys: helm });
  }
  return out;
}

/** Parses YAML or JSON text into documents; unparsable documents come back as `undefined`. */
export function parseDocuments(path: string, text: string): unknown[] {
  if (/\.json$/i.test(path)) {
    try {
      return [JSON.parse(text)];
    } catch {
      return [undefined];
    }
  }
  // Without anchors or aliases (whose expansion `yaml` caps) the fast reader gives the same data;
  // anything it refuses, `yaml` judges document by document, as it always did.
  if (!/[&*]/.test(text)) {
    try {
      return loadDocuments(text);
    } catch {}
  }
  // Merge keys (`<<: *base`) as Kubernetes' YAML reader resolves them.
  return parseAllDocuments(text, { merge: true }).map((d) => {
    if (d.errors.length) return undefined;
    try {
      return d.toJS({ maxAliasCount: 100 });
    } catch {
      return undefined;
    }
  });
}

/**
 * Whether a file may hold a Secret at all: a cheap test before parsing. Any spelling of "Secret"
 * contains "ecret" unless it is escaped, so escapes count too.
 */
export const mayHoldSecret = (text: string) => /ecret|helm/i.test(text) || text.includes('\\');

/** Every leak in a YAML or JSON file's text. */
export function leaksInText(path: string, text: string): Leak[] {
  if (!mayHoldSecret(text)) return [];
  return parseDocuments(path, text).flatMap(leaksIn);
}
