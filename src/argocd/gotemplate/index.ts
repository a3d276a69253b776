/**
 * Argo CD's goTemplate rendering, exact: Go's own text/template with sprig and Argo's functions,
 * compiled to WebAssembly (main.go, build.sh) and run synchronously, one instance per batch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { toolkitRoot } from '../../toolkit.js';
import { runWasi } from './wasi.js';

export interface GoJob {
  template: string;
  params: unknown;
}
export type GoResult = { ok: string } | { error: string };

/** The committed build of the Go sources beside it (build.sh); it stays in src/ and ships as is. */
export const artifactPath = join(toolkitRoot, 'src', 'argocd', 'gotemplate', 'gotemplate.wasm.br');

/** Decompresses and compiles the artifact; V8 optimises its hot functions later, while it runs. */
export function compileGoTemplateModule(): WebAssembly.Module {
  return new WebAssembly.Module(brotliDecompressSync(readFileSync(artifactPath)));
}

let compiled: WebAssembly.Module | undefined;

const stringTyped = new WeakSet<object>();

/**
 * Marks an object to reach Go as map[string]string, or an array as []string, as Argo CD holds
 * cluster labels and annotations, generator `values` and git path segments (JSON alone would
 * give map[string]any and []any, which sprig's dict functions accept where Argo's fail). The mark
 * is on the object itself: a copy is unmarked.
 */
export function goStrings<T extends Record<string, string> | string[]>(value: T): T {
  stringTyped.add(value);
  return value;
}

/** True for a value marked by goStrings (Go holds it as map[string]string or []string). */
export const isGoStrings = (value: unknown): boolean => typeof value === 'object' && value !== null && stringTyped.has(value);

/** Where inside a params value the marked objects are: paths of map keys and list indexes. */
function stringPaths(value: unknown, path: (string | number)[], out: (string | number)[][]): void {
  if (typeof value !== 'object' || value === null) return;
  if (stringTyped.has(value)) out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => stringPaths(item, [...path, i], out));
  else for (const [key, item] of Object.entries(value)) stringPaths(item, [...path, key], out);
}

/** Every option text/template's Option accepts (Go 1.23); any other panics "unrecognized option". */
const VALID_OPTIONS = new Set(['missingkey=default', 'missingkey=invalid', 'missingkey=zero', 'missingkey=error']);

/**
 * Renders each job as Argo CD's Render.Replace does with `goTemplate: true` and these
 * `goTemplateOptions`; errors carry Argo's wording. With options Go accepts, a text without `{{`
 * renders to itself whatever the params, so only the others go to WebAssembly, each distinct
 * params object sent once. (An option Go rejects fails every text: those all go.)
 */
export function renderGoTemplates(jobs: GoJob[], options: string[]): GoResult[] {
  const results: GoResult[] = jobs.map(({ template }) => ({ ok: template }));
  const optionsValid = options.every((o) => VALID_OPTIONS.has(o));
  const index = new Map<unknown, number>();
  const params: unknown[] = [];
  const strings: { p: number; path: (string | number)[] }[] = [];
  const sent: number[] = [];
  const wire: { t: string; p: number }[] = [];
  jobs.forEach(({ template, params: p }, j) => {
    if (!template.includes('{{') && optionsValid) return;
    let i = index.get(p);
    if (i === undefined) {
      const at = params.push(p ?? null) - 1;
      const paths: (string | number)[][] = [];
      stringPaths(p, [], paths);
      for (const path of paths) strings.push({ p: at, path });
      index.set(p, (i = at));
    }
    sent.push(j);
    wire.push({ t: template, p: i });
  });
  if (wire.length === 0) return results;
  compiled ??= compileGoTemplateModule();
  const run = runWasi(compiled, 'gotemplate', Buffer.from(JSON.stringify({ options, params, strings, jobs: wire })));
  if (run.code !== 0) throw new Error(`goTemplate renderer failed (exit ${run.code}): ${run.stderr.toString().trim()}`);
  const rendered = JSON.parse(run.stdout.toString()) as GoResult[];
  if (rendered.length !== wire.length) throw new Error(`goTemplate renderer returned ${rendered.length} results for ${wire.length} templates`);
  sent.forEach((j, k) => (results[j] = rendered[k]!));
  return results;
}
