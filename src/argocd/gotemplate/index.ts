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

let compiled: WebAssembly.Module | undefined;

/** Compiled once per process, on first use. */
export function goTemplateModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(brotliDecompressSync(readFileSync(artifactPath)));
  return compiled;
}

/**
 * Renders each job as Argo CD's Render.Replace does with `goTemplate: true` and these
 * `goTemplateOptions`; errors carry Argo's wording. Params are sent once per distinct object.
 */
export function renderGoTemplates(jobs: GoJob[], options: string[]): GoResult[] {
  if (jobs.length === 0) return [];
  const index = new Map<unknown, number>();
  const params: unknown[] = [];
  const wire = jobs.map(({ template, params: p }) => {
    let i = index.get(p);
    if (i === undefined) {
      i = params.push(p ?? null) - 1;
      index.set(p, i);
    }
    return { t: template, p: i };
  });
  const input = Buffer.from(JSON.stringify({ options, params, jobs: wire }));
  const run = runWasi(goTemplateModule(), 'gotemplate', input);
  if (run.code !== 0) throw new Error(`goTemplate renderer failed (exit ${run.code}): ${run.stderr.toString().trim()}`);
  const results = JSON.parse(run.stdout.toString()) as GoResult[];
  if (results.length !== jobs.length) throw new Error(`goTemplate renderer returned ${results.length} results for ${jobs.length} templates`);
  return results;
}
