import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { artifactPath, goStrings, renderGoTemplates, type GoResult } from '../../src/argocd/gotemplate/index.js';
import { GO_TEMPLATE_FIXTURES } from './gotemplate-fixtures.js';

/** Renders the fixture table with one batch per distinct option list, as the engine batches. */
function renderTable(): GoResult[] {
  const results: GoResult[] = [];
  const byOptions = new Map<string, number[]>();
  GO_TEMPLATE_FIXTURES.forEach((f, i) => {
    const key = JSON.stringify(f.options ?? []);
    byOptions.set(key, [...(byOptions.get(key) ?? []), i]);
  });
  for (const [key, rows] of byOptions) {
    const out = renderGoTemplates(
      rows.map((i) => ({ template: GO_TEMPLATE_FIXTURES[i]!.template, params: GO_TEMPLATE_FIXTURES[i]!.params })),
      JSON.parse(key) as string[],
    );
    rows.forEach((row, j) => (results[row] = out[j]!));
  }
  return results;
}

describe('renderGoTemplates: Argo CD goTemplate fixture table', () => {
  const results = renderTable();
  it.each(GO_TEMPLATE_FIXTURES.map((f, i) => [f.name, f, i] as const))('%s', (_name, fixture, i) => {
    expect(results[i]).toEqual(fixture.ok !== undefined ? { ok: fixture.ok } : { error: fixture.error });
  });
});

describe('renderGoTemplates: batches', () => {
  it('renders 1,000 jobs with their own params in one batch, in order', () => {
    const jobs = Array.from({ length: 1000 }, (_, i) => ({
      template: i % 2 ? '{{ .name }}-{{ .i }}' : '{{ .i | int | add 1 }}',
      params: { name: `app${i}`, i },
    }));
    const results = renderGoTemplates(jobs, ['missingkey=error']);
    expect(results).toHaveLength(1000);
    results.forEach((r, i) => expect(r).toEqual({ ok: i % 2 ? `app${i}-${i}` : String(i + 1) }));
  });

  it('fails only the jobs whose params are not an object', () => {
    const results = renderGoTemplates(
      [
        { template: '{{ . }}', params: ['a'] },
        { template: '{{ .x }}', params: { x: 1 } },
      ],
      [],
    );
    expect(results[0]).toEqual({ error: expect.stringContaining('params 0 is not a JSON object') });
    expect(results[1]).toEqual({ ok: '1' });
  });

  it('reports an unknown goTemplateOptions entry per job, as the panic Argo CD would hit', () => {
    const jobs = [
      { template: 'plain text', params: {} },
      { template: '{{ .x }}', params: {} },
    ];
    expect(renderGoTemplates(jobs, ['missingkey=maybe'])).toEqual([
      { error: 'unrecognized option: missingkey=maybe' },
      { error: 'unrecognized option: missingkey=maybe' },
    ]);
    expect(renderGoTemplates(jobs, [''])).toEqual([{ error: 'empty option string' }, { error: 'empty option string' }]);
  });

  it("parses a template text once and executes it with each job's params", () => {
    const shared = { n: 1 };
    const results = renderGoTemplates(
      [
        { template: '{{ .n }}', params: shared },
        { template: '{{ .n }}', params: { n: 2 } },
        { template: '{{ .n }}', params: shared },
      ],
      [],
    );
    expect(results).toEqual([{ ok: '1' }, { ok: '2' }, { ok: '1' }]);
  });

  it('renders a text without actions to itself, as Go does', () => {
    expect(
      renderGoTemplates(
        [
          { template: 'no actions }} {', params: {} },
          { template: '', params: null },
        ],
        ['missingkey=error'],
      ),
    ).toEqual([{ ok: 'no actions }} {' }, { ok: '' }]);
  });

  it('refuses a string-typed mark on values that are not all strings', () => {
    expect(renderGoTemplates([{ template: '{{ .x }}', params: { x: goStrings({ a: 1 } as unknown as Record<string, string>) } }], [])).toEqual([
      { error: 'params 0 at [x]: "a" is not a string' },
    ]);
  });

  it("stops recursion at depth 1,000 (Go for WebAssembly; Argo CD's Go: 100,000)", () => {
    const [r] = renderGoTemplates([{ template: '{{ define "x" }}{{ template "x" }}{{ end }}{{ template "x" }}', params: {} }], []);
    expect(r).toEqual({ error: expect.stringContaining('exceeded maximum template depth (1000)') });
  });

  it('returns nothing for no jobs', () => {
    expect(renderGoTemplates([], [])).toEqual([]);
  });
});

describe('gotemplate.wasm.br is built from the committed Go sources', () => {
  const dir = dirname(artifactPath);
  const record = JSON.parse(readFileSync(join(dir, 'gotemplate.json'), 'utf8')) as { sources: string[]; sourcesSha256: string; wasmSha256: string };

  it('records every Go source and the build script', () => {
    const onDisk = readdirSync(dir)
      .filter((f) => f.endsWith('.go') || f === 'build.sh')
      .sort();
    expect([...record.sources].sort()).toEqual(onDisk);
  });

  it("matches the sources' sha256 (else run src/argocd/gotemplate/build.sh)", () => {
    const hash = createHash('sha256');
    for (const source of record.sources) hash.update(readFileSync(join(dir, source)));
    expect(hash.digest('hex')).toBe(record.sourcesSha256);
  });

  it('is the WebAssembly module the build recorded', () => {
    const wasm = brotliDecompressSync(readFileSync(artifactPath));
    expect(createHash('sha256').update(wasm).digest('hex')).toBe(record.wasmSha256);
  });
});
