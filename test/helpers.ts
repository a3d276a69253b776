import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { run } from '../src/cli/main.js';
import { CRD_PATHS, hasConformance, hasDocs, NO_CONFORMANCE, NO_DOCS } from './upstream.js';

export * from './upstream.js';

export const CRD_ARGS = CRD_PATHS.flatMap((p) => ['--crds', p]);

type Suite = (name: string, fn: () => void) => void;
const skipping =
  (reason: string): Suite =>
  (name, fn) =>
    describe.skip(`${name} (skipped: ${reason})`, fn);
/** A describe() that runs only with the Calisti docs, and says why when it is skipped. */
export const describeWithDocs: Suite = hasDocs ? describe : skipping(NO_DOCS);
/** A describe() that runs only with the upstream conformance data, and says why when it is skipped. */
export const describeWithConformance: Suite = hasConformance ? describe : skipping(NO_CONFORMANCE);

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'calisti-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { out: (s) => (stdout += s.endsWith('\n') ? s : `${s}\n`), err: (s) => (stderr += s.endsWith('\n') ? s : `${s}\n`) });
  return { code, stdout, stderr };
}

/** Every file under dir (repo-relative), skipping .git. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The whole working tree as path -> content, for before/after comparisons. */
export function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

export function parseYamlDocs(text: string): Record<string, any>[] {
  return parseAllDocuments(text)
    .map((d) => {
      if ('errors' in d && d.errors.length) throw new Error(d.errors[0]!.message);
      return d.toJS();
    })
    .filter((d) => d !== null);
}

export const resourceKey = (o: Record<string, any>) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
