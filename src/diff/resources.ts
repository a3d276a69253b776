/** Per-cluster resource changes between two sets of rendered objects: pure. */
import { refString, resourceRef, type ResourceRef } from '../validate/findings.js';
import type { ClusterView } from '../validate/mesh.js';
import { isObj } from '../objects.js';

export interface ResourceChange {
  resource: ResourceRef;
  /** Field paths that differ (`spec.meshConfig.enableTracing`); values are never included. */
  paths: string[];
}

export interface ClusterDiff {
  added: ResourceRef[];
  removed: ResourceRef[];
  changed: ResourceChange[];
}

const keyOf = (o: Record<string, unknown>) => `${String(o.apiVersion).split('/').slice(0, -1).join('/') || 'core'}|${refString(resourceRef(o))}`;

export function diffClusters(before: Map<string, ClusterView>, after: Map<string, ClusterView>): Record<string, ClusterDiff> {
  const out: Record<string, ClusterDiff> = {};
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const name of names) {
    const b = new Map((before.get(name)?.resources ?? []).map((d) => [keyOf(d.obj), d.obj]));
    const a = new Map((after.get(name)?.resources ?? []).map((d) => [keyOf(d.obj), d.obj]));
    const diff: ClusterDiff = { added: [], removed: [], changed: [] };
    for (const [k, o] of a) if (!b.has(k)) diff.added.push(resourceRef(o));
    for (const [k, o] of b) if (!a.has(k)) diff.removed.push(resourceRef(o));
    for (const [k, o] of a) {
      const old = b.get(k);
      if (!old) continue;
      const paths = changedPaths(old, o, '');
      if (paths.length > 0) diff.changed.push({ resource: resourceRef(o), paths });
    }
    const sort = (x: ResourceRef, y: ResourceRef) => (refString(x) < refString(y) ? -1 : 1);
    diff.added.sort(sort);
    diff.removed.sort(sort);
    diff.changed.sort((x, y) => sort(x.resource, y.resource));
    if (diff.added.length || diff.removed.length || diff.changed.length) out[name] = diff;
  }
  return out;
}

/** Paths whose values differ; a list that changed length is reported at the list itself. */
export function changedPaths(a: unknown, b: unknown, path: string): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    return keys.flatMap((k) => changedPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((v, i) => changedPaths(v, b[i], `${path}[${i}]`));
  }
  return [path || '(root)'];
}
