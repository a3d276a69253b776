/**
 * Go's `fmt.Sprintf("%v", v)` for values decoded from JSON/YAML, and the dot-style flattening Argo CD applies
 * (jeremywohl/flatten) before selectors and fasttemplate see parameters.
 */
import { isGoStrings } from './gotemplate/index.js';
import { isObj, type Params } from './types.js';

/** float64 with %v (Go's %g, shortest digits): exponent form when the exponent is < -4 or >= 6, as `1e+06`. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant, expStr] = n.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n); // JS prints plain decimals with the same shortest digits in this range
}

/** `%v` of a JSON value: maps print as `map[k:v]` with sorted keys, lists as `[a b]`, null as `<nil>`. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isObj(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goValue(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** Dot-style flattening: nested maps give `a.b`, lists `a.0`; empty maps and lists give no key. */
export function flatten(params: Params, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  const put = (key: string, v: unknown): void => {
    if (isObj(v)) flatten(v, key, out);
    // A Go []string (git path segments) is a leaf for Argo's flattener, printed as [a b].
    else if (Array.isArray(v) && !isGoStrings(v)) v.forEach((item, i) => put(`${key}.${i}`, item));
    else out[key] = v;
  };
  for (const [k, v] of Object.entries(params)) put(prefix ? `${prefix}.${k}` : k, v);
  return out;
}

/** Flattened parameters printed with %v: what a generator `selector` is matched against. */
export function flatStrings(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(flatten(params))) out[k] = goValue(v);
  return out;
}
