/**
 * Built-in kinds (Namespace, Secret, ConfigMap, ...) checked against the Kubernetes API model that
 * @kubernetes/client-node ships: every field of every type, with its type. The model is read from
 * schemas/builtin-kinds.json, written from that package at build time (`npm run schema`), so
 * validate never imports the cluster client.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '../toolkit.js';
import type { SchemaProblem } from './structural.js';

/** Type name -> field -> field type (`string`, `Array<V1Container>`, `{ [key: string]: string; }`). */
type Models = Record<string, Record<string, string>>;

let models: Models | undefined;

export async function loadBuiltinModels(): Promise<Models> {
  models ??= JSON.parse(readFileSync(join(schemasDir, 'builtin-kinds.json'), 'utf8')) as Models;
  return models;
}

/** apiVersion + kind -> client-node class name: `apps/v1` Deployment -> V1Deployment. */
function className(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop()!;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

const BUILTIN_GROUPS =
  /^(v1|(apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|storage\.k8s\.io|scheduling\.k8s\.io|coordination\.k8s\.io|discovery\.k8s\.io|node\.k8s\.io|admissionregistration\.k8s\.io|apiextensions\.k8s\.io|certificates\.k8s\.io|events\.k8s\.io|flowcontrol\.apiserver\.k8s\.io)\/v[0-9a-z]+)$/;

export function isBuiltin(apiVersion: string): boolean {
  return BUILTIN_GROUPS.test(apiVersion);
}

export function checkBuiltin(m: Models, obj: Record<string, unknown>): SchemaProblem[] | undefined {
  if (!m[className(String(obj.apiVersion), String(obj.kind))]) return undefined;
  const problems: SchemaProblem[] = [];
  checkValue(m, obj, `${className(String(obj.apiVersion), String(obj.kind))}`, '', problems);
  return problems;
}

function checkValue(m: Models, value: unknown, type: string, path: string, out: SchemaProblem[]): void {
  if (value === null || value === undefined) return;
  const p = (message: string, kind: SchemaProblem['kind'] = 'invalid'): void => void out.push({ path: path || '(root)', message, kind });
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return p(`must be an array, not ${typeof value}`);
    value.forEach((v, i) => checkValue(m, v, array[1]!, `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) return p(`must be a map, not ${Array.isArray(value) ? 'array' : typeof value}`);
    for (const [k, v] of Object.entries(value as object)) checkValue(m, v, map[1]!, `${path}.${k}`, out);
    return;
  }
  switch (type) {
    case 'string':
      if (typeof value !== 'string') p(`must be a string, not ${typeof value} (${JSON.stringify(value)})`);
      return;
    case 'number':
      if (typeof value !== 'number') p(`must be a number, not ${typeof value}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') p(`must be a boolean, not ${typeof value}`);
      return;
    case 'Date':
      if (typeof value !== 'string') p('must be a timestamp string');
      return;
    case 'IntOrString':
      if (typeof value !== 'string' && !Number.isInteger(value)) p('must be an integer or a string');
      return;
    case 'any':
    case 'object':
      return;
  }
  const attrs = m[type];
  if (!attrs) return;
  if (typeof value !== 'object' || Array.isArray(value)) return p(`must be an object, not ${Array.isArray(value) ? 'array' : typeof value}`);
  for (const [k, v] of Object.entries(value as object)) {
    const t = Object.hasOwn(attrs, k) ? attrs[k] : undefined;
    const sub = path ? `${path}.${k}` : k;
    if (t === undefined) out.push({ path: sub, message: 'unknown field: the API server would drop it silently', kind: 'unknown-field' });
    else checkValue(m, v, t, sub, out);
  }
}
