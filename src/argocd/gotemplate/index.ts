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

/** The committed build of main.go; the source stays in src/ so `npm pack` ships it as is. */
export const artifactPath = join(toolkitRoot, 'src', 'argocd', 'gotemplate', 'gotemplate.wasm.br');

/** Decompresses and compiles the artifact (V8 compiles function bodies lazily, on first call). */
export function compileGoTemplateModule(): WebAssembly.Module {
  return new WebAssembly.Module(brotliDecompressSync(readFileSync(artifactPath)));
}

let compiled: WebAssembly.Module | undefined;

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
  const sent: number[] = [];
  const wire: { t: string; p: number }[] = [];
  jobs.forEach(({ template, params: p }, j) => {
    if (!template.includes('{{') && optionsValid) return;
    let i = index.get(p);
    if (i === undefined) {
      i = params.push(p ?? null) - 1;
      index.set(p, i);
    }
    sent.push(j);
    wire.push({ t: template, p: i });
  });
  if (wire.length === 0) return results;
  compiled ??= compileGoTemplateModule();
  const run = runWasi(compiled, 'gotemplate', Buffer.from(JSON.stringify({ options, params, jobs: wire })));
  if (run.code !== 0) throw new Error(`goTemplate renderer failed (exit ${run.code}): ${run.stderr.toString().trim()}`);
  const rendered = JSON.parse(run.stdout.toString()) as GoResult[];
  if (rendered.length !== wire.length) throw new Error(`goTemplate renderer returned ${rendered.length} results for ${wire.length} templates`);
  sent.forEach((j, k) => (results[j] = rendered[k]!));
  return results;
}
