/**
 * A fleet using every day-2 feature at once goes through the CLI like a user's: init writes it,
 * every generated application is registered, and validate (the pre-push hook) passes it, with
 * Argo CD's and istio-operator's CRDs when the conformance data is present.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CRD_ARGS, cli, tempDir } from '../../helpers.js';

const model = join(import.meta.dirname, 'fixtures', 'day2.yaml');

describe('day-2 fleet', () => {
  it('init writes every application and validate passes it with no error', async () => {
    const dir = join(tempDir(), 'repo');
    const init = await cli('init', dir, '-f', model);
    expect(init.code, init.stderr).toBe(0);
    const apps = parse(readFileSync(join(dir, 'apps', 'kustomization.yaml'), 'utf8')).resources;
    expect(apps).toEqual(['smm-operator/app-set.yaml', 'smm-controlplane/app-set.yaml', 'mesh-policies/app-set.yaml', 'mesh-slos/app-set.yaml']);
    const v = await cli('validate', '-C', dir, '-o', 'json', ...CRD_ARGS);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const report = JSON.parse(v.stdout) as { summary: { errors: number }; findings: { rule: string; severity: string; message: string }[] };
    expect(report.summary.errors).toBe(0);
    // The sre kinds are checked against schemas/ (no "no schema" note for them).
    expect(report.findings.filter((f) => f.rule === 'schema/unknown-kind' && f.message.includes('sre.smm.cisco.com'))).toEqual([]);
  });
});
