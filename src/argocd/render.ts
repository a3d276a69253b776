/**
 * Argo CD's deep replace: every string of a value, map keys included, rendered with one parameter set.
 * Strings are gathered across many (value, params) pairs first so Go templates render in one batch.
 */
import { replaceAll, type ReplaceJob, type Templating } from './replace.js';
import { isObj, type Params } from './types.js';

type Slot = (resolved: string[]) => unknown;

function collect(value: unknown, params: Params, jobs: ReplaceJob[]): Slot {
  if (typeof value === 'string') {
    const i = jobs.push({ template: value, params }) - 1;
    return (r) => r[i];
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => collect(v, params, jobs));
    return (r) => items.map((s) => s(r));
  }
  if (isObj(value)) {
    const entries: [Slot, Slot][] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue; // Argo skips nil map values
      entries.push([collect(v, params, jobs), collect(k, params, jobs)]);
    }
    return (r) => Object.fromEntries(entries.map(([v, k]) => [k(r) as string, v(r)]));
  }
  return () => value;
}

/** Renders each value with its own parameters; throws Argo's first error. */
export function renderEach<T>(items: { value: T; params: Params }[], t: Templating): T[] {
  const jobs: ReplaceJob[] = [];
  const slots = items.map((it) => collect(it.value, it.params, jobs));
  const resolved = replaceAll(jobs, t);
  return slots.map((s) => s(resolved) as T);
}
