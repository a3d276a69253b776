/**
 * Argo CD's deep replace: every string of a value, map keys included, rendered with one parameter set.
 * Strings are gathered across many (value, params) pairs first so Go templates render in one batch.
 * A value is walked once for all parameter sets: only its strings holding `{{` become jobs (a string
 * without one renders as itself in both engines), and parts without any are copied as they are (or,
 * for Applications, copied once, frozen and shared).
 */
import { replaceAll, type ReplaceJob, type Templating } from './replace.js';
import { deepFreeze } from '../objects.js';
import { isObj, type Params } from './types.js';

type Slot = (resolved: string[]) => unknown;
/** A value prepared for rendering: its jobs for one parameter set, and how to assemble the result. */
type Prepared = (params: Params, jobs: ReplaceJob[]) => Slot;

/** A fresh copy, without nil map values (Argo skips them), of a part with nothing to render. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isObj(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = copy(v);
    return out;
  }
  return value;
}

function templated(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(templated);
  if (isObj(value)) return Object.entries(value).some(([k, v]) => v !== null && v !== undefined && (templated(k) || templated(v)));
  return false;
}

function prepare(value: unknown, share: boolean): Prepared {
  if (!templated(value)) {
    if (!share) return () => () => copy(value);
    // One copy for every parameter set, frozen: thousands of Applications share it, none may change it.
    const shared = copy(value);
    deepFreeze(shared);
    return () => () => shared;
  }
  if (typeof value === 'string')
    return (params, jobs) => {
      const i = jobs.push({ template: value, params }) - 1;
      return (r) => r[i];
    };
  if (Array.isArray(value)) {
    const items = value.map((v) => prepare(v, share));
    return (params, jobs) => {
      const slots = items.map((p) => p(params, jobs));
      return (r) => slots.map((s) => s(r));
    };
  }
  const entries: [Prepared, Prepared][] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) continue; // Argo skips nil map values
    // The value's jobs before the key's: Argo reports the first failure in that order.
    entries.push([prepare(v, share), prepare(k, share)]);
  }
  return (params, jobs) => {
    const slots = entries.map(([v, k]) => [v(params, jobs), k(params, jobs)] as const);
    return (r) => Object.fromEntries(slots.map(([v, k]) => [k(r) as string, v(r)]));
  };
}

/**
 * Renders each value with its own parameters; throws Argo's first error. `share`: the parts without
 * anything to render are one frozen copy shared by all results (their readers never write to them).
 */
export function renderEach<T>(items: { value: T; params: Params }[], t: Templating, share = false): T[] {
  const jobs: ReplaceJob[] = [];
  const prepared = new Map<unknown, Prepared>();
  const slots = items.map((it) => {
    let p = prepared.get(it.value);
    if (!p) prepared.set(it.value, (p = prepare(it.value, share)));
    return p(it.params, jobs);
  });
  const resolved = replaceAll(jobs, t);
  return slots.map((s) => s(resolved) as T);
}
