/**
 * Offline ApplicationSet engine following Argo CD's applicationset controller: generators produce
 * parameter sets, the template is rendered once per set, and any error fails the whole ApplicationSet
 * (Argo then creates nothing from it). Scope so far: list (elements, elementsYaml), clusters, matrix,
 * generator `selector`, fasttemplate with Argo's string-only rule, Application defaults and checks.
 */
import { parse } from 'yaml';

export type Params = Record<string, unknown>;
export interface Cluster {
  name: string;
  server: string;
  project?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface Result {
  apps: Record<string, unknown>[];
  /** Argo would reject the ApplicationSet (errors) or cannot be evaluated offline (skipped). */
  errors: string[];
  skipped: string[];
}
type Obj = Record<string, any>;

export const IN_CLUSTER: Cluster = { name: 'in-cluster', server: 'https://kubernetes.default.svc', labels: {}, annotations: {} };
const OFFLINE = ['scmProvider', 'pullRequest', 'clusterDecisionResource', 'plugin'];
class AppSetError extends Error {}

/** Argo's nameNormalized (utils.SanitizeName): lower case, invalid characters to "-", trimmed to 253. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 253).replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

function matchesSelector(params: Params, flat: Record<string, string>, sel: Obj | undefined): boolean {
  if (!sel) return true;
  const get = (k: string): string | undefined => (k in flat ? flat[k] : typeof params[k] === 'string' ? (params[k] as string) : undefined);
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (get(k) !== v) return false;
  return matchExpressions(get, sel.matchExpressions);
}

function matchExpressions(get: (k: string) => string | undefined, exprs: Obj[] | undefined): boolean {
  for (const e of exprs ?? []) {
    const v = get(e.key);
    const vals: string[] = e.values ?? [];
    if (e.operator === 'In' && !(v !== undefined && vals.includes(v))) return false;
    if (e.operator === 'NotIn' && v !== undefined && vals.includes(v)) return false;
    if (e.operator === 'Exists' && v === undefined) return false;
    if (e.operator === 'DoesNotExist' && v !== undefined) return false;
  }
  return true;
}

/** fasttemplate view of parameters: nested maps flattened with dots (metadata.labels.x). */
export function flatten(params: Params, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Params, key, out);
    else out[key] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

/** fasttemplate: `{{ key }}` replaced when known, left as written otherwise (Argo's behaviour). */
export function fastReplace(s: string, flat: Record<string, string>): string {
  return s.replace(/\{\{(.*?)\}\}/g, (whole, tag: string) => flat[tag.trim()] ?? whole);
}

function renderStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => renderStrings(v, fn));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [fn(k), renderStrings(v, fn)]));
  return value;
}

function listParams(list: Obj, goTemplate: boolean): Params[] {
  let elements: unknown[] = list.elements ?? [];
  if (list.elementsYaml) {
    const parsed: unknown = parse(String(list.elementsYaml));
    if (!Array.isArray(parsed)) throw new AppSetError('error unmarshling decoded ElementsYaml: not a list');
    elements = [...elements, ...parsed];
  }
  return elements.map((el, i) => {
    if (!el || typeof el !== 'object' || Array.isArray(el)) throw new AppSetError(`list element ${i} is not a map`);
    if (goTemplate) return el as Params;
    const out: Params = {};
    for (const [k, v] of Object.entries(el as Obj)) {
      if (k === 'values' && v && typeof v === 'object') {
        for (const [vk, vv] of Object.entries(v as Obj)) {
          if (typeof vv !== 'string') throw new AppSetError(`error parsing value of key values.${vk}: expected a string`);
          out[`values.${vk}`] = vv;
        }
      } else if (typeof v === 'string') out[k] = v;
      else throw new AppSetError(`error parsing value of key ${k}: expected a string, got ${JSON.stringify(v)}`);
    }
    return out;
  });
}

function clusterParams(gen: Obj, clusters: Cluster[], goTemplate: boolean): Params[] {
  const sel: Obj = gen.selector ?? {};
  const hasSelector = Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0;
  // Argo adds the local cluster only when no Secret registers its server and there is no selector.
  const all = hasSelector || clusters.some((c) => c.server === IN_CLUSTER.server) ? clusters : [...clusters, IN_CLUSTER];
  const picked = all.filter((c) => {
    const labels = c === IN_CLUSTER ? {} : c.labels;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
    return matchExpressions((k) => labels[k], sel.matchExpressions);
  });
  const out = picked.map((c) => {
    const base: Params = { name: c.name, nameNormalized: normalizeName(c.name), server: c.server, project: c.project ?? '' };
    if (goTemplate) base.metadata = { labels: c.labels, annotations: c.annotations };
    else {
      for (const [k, v] of Object.entries(c.labels)) base[`metadata.labels.${k}`] = v;
      for (const [k, v] of Object.entries(c.annotations)) base[`metadata.annotations.${k}`] = v;
    }
    const values: Record<string, string> = {};
    const flat = flatten(base);
    for (const [k, v] of Object.entries((gen.values ?? {}) as Obj)) values[k] = fastReplace(String(v), flat);
    if (goTemplate) base.values = values;
    else for (const [k, v] of Object.entries(values)) base[`values.${k}`] = v;
    return base;
  });
  return gen.flatList ? [{ clusters: out }] : out;
}

function generate(gen: Obj, clusters: Cluster[], goTemplate: boolean, skipped: string[]): Params[] {
  let out: Params[];
  if (gen.list) out = listParams(gen.list, goTemplate);
  else if (gen.clusters) out = clusterParams(gen.clusters, clusters, goTemplate);
  else if (gen.matrix) out = matrix(gen.matrix, clusters, goTemplate, skipped);
  else {
    const kind = Object.keys(gen).find((k) => k !== 'selector' && k !== 'template') ?? '(empty)';
    if (OFFLINE.includes(kind)) skipped.push(`generator ${kind} cannot be evaluated offline; ApplicationSet skipped`);
    else throw new AppSetError(`generator ${kind} is not supported offline yet`);
    return [];
  }
  return out.filter((p) => matchesSelector(p, flatten(p), gen.selector));
}

function matrix(m: Obj, clusters: Cluster[], goTemplate: boolean, skipped: string[]): Params[] {
  const gens: Obj[] = m.generators ?? [];
  if (gens.length !== 2) throw new AppSetError('matrix generator must have exactly 2 child generators');
  const out: Params[] = [];
  for (const a of generate(gens[0]!, clusters, goTemplate, skipped)) {
    // The second generator is templated with each parameter set of the first (Argo's interpolation).
    const flat = flatten(a);
    const second = goTemplate ? gens[1]! : (renderStrings(gens[1], (s) => fastReplace(s, flat)) as Obj);
    for (const b of generate(second, clusters, goTemplate, skipped)) {
      if (!goTemplate) {
        const dup = Object.keys(b).find((k) => k in a);
        if (dup) throw new AppSetError(`found duplicate key ${dup} with different value`);
      }
      out.push({ ...a, ...b });
    }
  }
  return out;
}

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkApp(app: Obj, clusters: Cluster[]): void {
  const name: string = app.metadata?.name ?? '';
  if (!name || name.length > 253 || !DNS1123.test(name)) throw new AppSetError(`Application name "${name}" is not a valid DNS-1123 subdomain`);
  const dest: Obj = app.spec?.destination ?? {};
  if (dest.name && dest.server) throw new AppSetError(`application destination can't have both name and server defined: ${dest.name} ${dest.server}`);
  const known = clusters.some((c) => c.server === IN_CLUSTER.server) ? clusters : [...clusters, IN_CLUSTER];
  if (dest.name) {
    const n = known.filter((c) => c.name === dest.name).length;
    if (n !== 1) throw new AppSetError(n === 0 ? `application ${name}: there are no clusters with this name: ${dest.name}` : `application ${name}: there are ${n} clusters with the same name: ${dest.name}`);
  } else if (dest.server && !known.some((c) => c.server === dest.server)) {
    throw new AppSetError(`application ${name}: cluster ${dest.server} has not been configured`);
  }
}

/** Expands one ApplicationSet as Argo's controller would; `clusters` are the registered cluster Secrets. */
export function expand(appset: Obj, clusters: Cluster[]): Result {
  const spec: Obj = appset.spec ?? {};
  const skipped: string[] = [];
  const goTemplate = Boolean(spec.goTemplate);
  const missingKeyError = ((spec.goTemplateOptions ?? []) as string[]).includes('missingkey=error');
  try {
    if (spec.templatePatch) throw new AppSetError('templatePatch is not supported offline yet');
    const apps: Record<string, unknown>[] = [];
    for (const gen of (spec.generators ?? []) as Obj[]) {
      const params = generate(gen, clusters, goTemplate, skipped);
      if (skipped.length) return { apps: [], errors: [], skipped };
      const template = mergeTemplate(spec.template ?? {}, gen.template);
      for (const p of params) apps.push(toApplication(render(template, p, goTemplate, missingKeyError), appset, spec));
    }
    const seen = new Set<string>();
    for (const app of apps) {
      checkApp(app as Obj, clusters);
      const name = (app as Obj).metadata.name as string;
      if (seen.has(name)) throw new AppSetError(`ApplicationSet ${appset.metadata?.name} contains applications with duplicate name: ${name}`);
      seen.add(name);
    }
    return { apps, errors: [], skipped };
  } catch (e) {
    if (e instanceof AppSetError) return { apps: [], errors: [e.message], skipped };
    throw e;
  }
}

/** Generator-level template fields override the ApplicationSet's (Argo merges them deeply). */
function mergeTemplate(base: Obj, over: Obj | undefined): Obj {
  if (!over) return base;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' ? mergeTemplate(out[k], v) : v;
  }
  return out;
}

function render(template: Obj, params: Params, goTemplate: boolean, missingKeyError: boolean): Obj {
  if (!goTemplate) {
    const flat = flatten(params);
    return renderStrings(template, (s) => fastReplace(s, flat)) as Obj;
  }
  return renderStrings(template, (s) =>
    s.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (whole, expr: string) => {
      const m = /^\.([A-Za-z0-9_.]+)$/.exec(expr);
      if (!m) throw new AppSetError(`go template expression {{${expr}}} is not supported offline yet`);
      let v: unknown = params;
      for (const part of m[1]!.split('.')) v = v && typeof v === 'object' ? (v as Params)[part] : undefined;
      if (v === undefined && missingKeyError) throw new AppSetError(`map has no entry for key "${m[1]}"`);
      if (v === undefined) return '<no value>';
      return typeof v === 'string' ? v : JSON.stringify(v);
    }),
  ) as Obj;
}

function toApplication(rendered: Obj, appset: Obj, spec: Obj): Record<string, unknown> {
  const metadata: Obj = { ...rendered.metadata, namespace: appset.metadata?.namespace ?? rendered.metadata?.namespace };
  if (!spec.syncPolicy?.preserveResourcesOnDeletion && !metadata.finalizers) metadata.finalizers = ['resources-finalizer.argocd.argoproj.io'];
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata, spec: rendered.spec };
}

/** Reads a cluster Secret (plain, placeholder or SealedSecret template) into the cluster Argo registers. */
export function clusterFromSecret(doc: Obj): Cluster | undefined {
  const sealed = doc.kind === 'SealedSecret';
  const meta: Obj = (sealed ? doc.spec?.template?.metadata : doc.metadata) ?? {};
  const labels: Record<string, string> = { ...(sealed ? doc.metadata?.labels : {}), ...meta.labels };
  if (labels['argocd.argoproj.io/secret-type'] !== 'cluster') return undefined;
  const data: Obj = { ...(sealed ? doc.spec?.template?.data : doc.data), ...doc.stringData };
  const str = (k: string): string | undefined => (doc.stringData?.[k] ?? (data[k] !== undefined && !sealed ? Buffer.from(String(data[k]), 'base64').toString() : data[k])) as string | undefined;
  const name = str('name') ?? doc.metadata?.name;
  const server = str('server');
  if (!name || !server) return undefined;
  return { name, server, project: str('project'), labels, annotations: { ...meta.annotations } };
}
