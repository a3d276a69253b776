/**
 * Offline ApplicationSet expansion with Argo CD's rules: list, clusters and matrix generators;
 * default (fasttemplate) templating, where `{{ param }}` may carry spaces and an unknown parameter
 * is left as written; and `goTemplate: true` with `.field` lookups.
 */

export interface ClusterInfo {
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export type Params = Record<string, unknown>;

export interface Expansion {
  apps: Record<string, any>[];
  problems: string[];
}

const FAST_TAG = /\{\{(.*?)\}\}/g;

/** Argo CD flattens nested parameters for fasttemplate: {metadata: {labels: {a: b}}} -> metadata.labels.a. */
export function flatten(params: Params, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Params, key, out);
    else out[key] = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

export function normalizeName(name: string): string {
  // Argo CD's nameNormalized: invalid DNS-1123 subdomain characters become "-".
  return name.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
}

function generate(gen: Record<string, any>, clusters: ClusterInfo[], problems: string[]): Params[] {
  if (gen.list) {
    if (gen.list.elementsYaml) problems.push('list.elementsYaml is not expanded offline');
    return (gen.list.elements ?? []) as Params[];
  }
  if (gen.clusters) {
    const sel = gen.clusters.selector ?? {};
    const values = gen.clusters.values ?? {};
    return clusters
      .filter((c) => matches(c.labels, sel))
      .map((c) => ({
        name: c.name,
        nameNormalized: normalizeName(c.name),
        server: c.server,
        metadata: { labels: c.labels, annotations: c.annotations ?? {} },
        values,
      }));
  }
  if (gen.matrix) {
    const [a, b] = gen.matrix.generators ?? [];
    if (!a || !b || (gen.matrix.generators ?? []).length !== 2) {
      problems.push('matrix needs exactly two generators');
      return [];
    }
    const out: Params[] = [];
    for (const pa of generate(a, clusters, problems)) for (const pb of generate(b, clusters, problems)) out.push({ ...pa, ...pb });
    return out;
  }
  problems.push(`generator ${Object.keys(gen).join(',') || '(empty)'} is not expanded offline`);
  return [];
}

function matches(labels: Record<string, string>, sel: Record<string, any>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const vals: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function renderStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => renderStrings(v, fn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fn(k), renderStrings(v, fn)]));
  }
  return value;
}

function fastTemplate(template: unknown, params: Params, problems: Set<string>): unknown {
  const flat = flatten(params);
  return renderStrings(template, (s) =>
    s.replace(FAST_TAG, (whole, tag: string) => {
      const key = tag.trim();
      if (key in flat) return flat[key]!;
      problems.add(`unknown parameter {{${key}}} is left as written`);
      return whole;
    }),
  );
}

function goTemplate(template: unknown, params: Params, missingKeyError: boolean, problems: Set<string>): unknown {
  return renderStrings(template, (s) =>
    s.replace(FAST_TAG, (whole, expr: string) => {
      const e = expr.trim().replace(/^-\s*/, '').replace(/\s*-$/, '');
      const m = /^\.([A-Za-z0-9_.]+)$/.exec(e);
      if (!m) {
        problems.add(`go template expression {{${e}}} is not evaluated offline`);
        return whole;
      }
      let v: unknown = params;
      for (const part of m[1]!.split('.')) v = v && typeof v === 'object' ? (v as Params)[part] : undefined;
      if (v === undefined) {
        problems.add(`missing key .${m[1]} in go template${missingKeyError ? ' (missingkey=error)' : ''}`);
        return missingKeyError ? whole : '<no value>';
      }
      return typeof v === 'string' ? v : JSON.stringify(v);
    }),
  );
}

export function expandAppSet(appset: Record<string, any>, clusters: ClusterInfo[]): Expansion {
  const problems: string[] = [];
  const spec = appset.spec ?? {};
  const template = spec.template ?? {};
  const params = (spec.generators ?? []).flatMap((g: Record<string, any>) => generate(g, clusters, problems));
  const found = new Set<string>();
  const missingKeyError = (spec.goTemplateOptions ?? []).includes('missingkey=error');
  const apps = params.map((p: Params) => {
    const rendered = (spec.goTemplate ? goTemplate(template, p, missingKeyError, found) : fastTemplate(template, p, found)) as Record<string, any>;
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { ...rendered.metadata, namespace: rendered.metadata?.namespace ?? appset.metadata?.namespace },
      spec: rendered.spec,
    };
  });
  return { apps, problems: [...problems, ...found] };
}
