/**
 * Argo CD's own ApplicationSet tests, transcribed as data (test/argocd/upstream/*.yaml, one file per upstream
 * test file, each row linking its source), run against our engine. Every row must agree with Argo CD or be
 * listed, with the reason, in upstream/known-differences.yaml; a listed row that now agrees fails too, so the
 * list stays honest. The agreement per file is printed at the end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { clusterFromSecret, expand, generatorParams, renderApplication, type Cluster, type EngineContext, type RepoFiles } from '../../src/argocd/engine.js';
import { toolkitRoot } from '../../src/toolkit.js';

const dir = join(toolkitRoot, 'test', 'argocd', 'upstream');
const KNOWN = 'known-differences.yaml';

const Obj = z.record(z.string(), z.unknown());
const Row = z.strictObject({
  source: z.string().startsWith('https://github.com/argoproj/argo-cd/blob/'),
  note: z.string().optional(),
  appset: Obj.optional(),
  generator: Obj.optional(),
  template: Obj.optional(),
  params: Obj.optional(),
  goTemplate: z.boolean().optional(),
  goTemplateOptions: z.array(z.string()).optional(),
  templatePatch: z.string().optional(),
  clusterSecrets: z.array(Obj).optional(),
  projects: z.array(z.string()).optional(),
  repo: z.strictObject({ repoURL: z.string().optional(), files: z.record(z.string(), z.string()) }).optional(),
  expect: z.strictObject({ apps: z.array(Obj).optional(), params: z.array(z.unknown()).optional(), app: Obj.optional(), error: z.string().optional() }),
});
type Row = z.infer<typeof Row>;
const Known = z.array(z.strictObject({ source: z.string(), reason: z.string().min(1) }));

/** Go's JSON omits empty strings and nulls; keys are sorted so that equal objects print equal. */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && x !== undefined && x !== '') out[k] = canon(x);
    }
    return out;
  }
  return v;
}
/** Argo's tests compare parameter sets and Applications ignoring order (ElementsMatch, ApplicationsExist). */
const bag = (xs: unknown[]) =>
  xs
    .map((x) => JSON.stringify(canon(x)))
    .sort()
    .join('\n');
/** A flatList's `clusters` too: Argo reads the cluster Secrets into a Go map, so their order is random. */
const flatListBag = (sets: unknown[]) =>
  bag(sets.map((p) => (p && typeof p === 'object' && 'clusters' in p && Array.isArray(p.clusters) ? { ...p, clusters: bag(p.clusters) } : p)));

function context(row: Row): EngineContext {
  const clusters = (row.clusterSecrets ?? []).map((s) => clusterFromSecret(s)).filter((c): c is Cluster => c !== undefined);
  const projects = row.projects ? { projects: new Set(row.projects) } : {};
  const contents = row.repo?.files;
  if (!contents) return { clusters, ...projects };
  const repoFiles: RepoFiles = {
    paths: Object.keys(contents).sort(),
    read: (p) => {
      const content = contents[p];
      if (content === undefined) throw new Error(`no file ${p} in the row's repo`);
      return content;
    },
  };
  return { clusters, ...projects, repo: { at: (url) => (row.repo?.repoURL === undefined || row.repo.repoURL === url ? repoFiles : undefined) } };
}

function errorMismatch(want: string, got: string[]): string | undefined {
  if (got.some((e) => e.includes(want))) return undefined;
  return got.length ? `error ${JSON.stringify(got)} does not contain ${JSON.stringify(want)}` : `no error, expected one containing ${JSON.stringify(want)}`;
}

/** Runs one row; returns undefined when the engine agrees with Argo CD, else what differs. */
function check(row: Row): string | undefined {
  const want = row.expect;
  const ctx = context(row);
  if (row.appset) {
    const r = expand(row.appset, ctx);
    if (r.skipped.length) return `skipped: ${r.skipped.join('; ')}`;
    const [gotApps, wantApps] = [bag(r.apps), bag(want.apps ?? [])];
    const apps = gotApps === wantApps ? undefined : `Applications differ, got:\n${gotApps}\nwant:\n${wantApps}`;
    if (want.error !== undefined) return errorMismatch(want.error, r.errors) ?? apps;
    return r.errors.length ? `unexpected errors: ${r.errors.join('; ')}` : apps;
  }
  try {
    if (row.generator) {
      const got = generatorParams(row.generator, ctx, row.goTemplate ?? false, row.goTemplateOptions ?? []);
      if (want.error !== undefined) return `no error, expected one containing ${JSON.stringify(want.error)}`;
      const [a, b] = [flatListBag(got), flatListBag(want.params ?? [])];
      return a === b ? undefined : `parameters differ, got:\n${a}\nwant:\n${b}`;
    }
    const app = renderApplication(row.template ?? {}, row.params ?? {}, {
      goTemplate: row.goTemplate ?? false,
      goTemplateOptions: row.goTemplateOptions ?? [],
      templatePatch: row.templatePatch,
    });
    if (want.error !== undefined) return `no error, expected one containing ${JSON.stringify(want.error)}`;
    // Template rows check templating; which finalizer is added is checked by the ApplicationSet rows.
    const meta: Record<string, unknown> = { ...(app.metadata as Record<string, unknown>) };
    const wantMeta = want.app?.metadata as Record<string, unknown> | undefined;
    if (wantMeta?.finalizers === undefined) delete meta.finalizers;
    const [a, b] = [JSON.stringify(canon({ metadata: meta, spec: app.spec })), JSON.stringify(canon({ metadata: {}, spec: {}, ...want.app }))];
    return a === b ? undefined : `Application differs, got:\n${a}\nwant:\n${b}`;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return want.error === undefined ? `unexpected error: ${message}` : errorMismatch(want.error, [message]);
  }
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && f !== KNOWN)
  .sort();
const known = new Map(Known.parse(parse(readFileSync(join(dir, KNOWN), 'utf8')) ?? []).map((k) => [k.source, k.reason]));
const tally = new Map<string, { pass: number; total: number }>();
const sources = new Set<string>();

for (const file of files) {
  const rows = z.array(Row).parse(parse(readFileSync(join(dir, file), 'utf8')));
  const t = { pass: 0, total: rows.length };
  tally.set(file, t);
  describe(file, () => {
    for (const row of rows) {
      if (sources.has(row.source)) throw new Error(`${file}: duplicate source ${row.source}`);
      sources.add(row.source);
      const kinds = [row.appset, row.generator, row.template].filter((x) => x !== undefined).length;
      if (kinds !== 1) throw new Error(`${file}: ${row.source} must have exactly one of appset, generator, template`);
      it(row.source.replace(/^.*\/blob\/[0-9a-f]+\//, ''), () => {
        const diff = check(row);
        if (!diff) t.pass++;
        const reason = known.get(row.source);
        if (reason === undefined && diff) throw new Error(`${diff}\n(${row.note ? `row note: ${row.note}; ` : ''}not listed in known-differences.yaml)`);
        if (reason !== undefined && !diff) throw new Error(`listed in known-differences.yaml (${reason}) but agrees now: remove it from the list`);
      });
    }
  });
}

it('every known difference names a row', () => {
  expect([...known.keys()].filter((s) => !sources.has(s))).toEqual([]);
});

afterAll(() => {
  const lines = [...tally].map(([f, t]) => `  ${f.padEnd(46)} ${t.pass}/${t.total}`);
  const pass = [...tally.values()].reduce((n, t) => n + t.pass, 0);
  const total = [...tally.values()].reduce((n, t) => n + t.total, 0);
  console.log(`Argo CD upstream table: ${pass}/${total} rows agree\n${lines.join('\n')}`);
});
