// @vitest-environment jsdom
/**
 * `upgrade -o markdown`, the pull-request comment: the steps, the follow-ups, and the repo change as
 * `diff -o markdown` shows it, with the fleet before and after as Mermaid that Mermaid's own parser
 * reads. Golden (the file diff left out: diff's tests cover it); refresh with
 * npx vitest run -u test/upgrade/markdown.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, toolkitRoot } from '../../src/toolkit.js';
import { cli, snapshot, tempDir } from '../helpers.js';

async function repoAt(example: string, version: string): Promise<string> {
  const model = join(tempDir(), 'calisti.yaml');
  writeFileSync(model, readFileSync(join(examplesDir, example, 'calisti.yaml'), 'utf8').replace('version: 1.12.0', `version: ${version}`));
  const dir = join(tempDir(), 'repo');
  const r = await cli('init', dir, '-f', model);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('upgrade -o markdown', () => {
  it('1.10 -> 1.11 on active-active: steps, follow-ups, and the canary control plane drawn before and after', async () => {
    const dir = await repoAt('active-active', '1.10.0');
    const r = await cli('upgrade', '--to', '1.11.0', '-C', dir, '--no-commit', '-o', 'markdown');
    expect(r.code, r.stderr).toBe(0);
    const md = r.stdout;
    const fileDiff = /<details><summary>File diff<\/summary>[\s\S]*?<\/details>\n/;
    expect(md).toMatch(fileDiff);
    expect(md).toMatch(/````diff\n--- a\/[\s\S]*\n--- a\/apps\/smm-operator\/app-set.yaml\n/);
    await expect(md.replace(fileDiff, '<details><summary>File diff</summary> (left out of the golden) </details>\n')).toMatchFileSnapshot(
      join(toolkitRoot, 'test', 'golden', 'upgrade', 'active-active-1.10-1.11.md'),
    );

    const blocks = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).not.toContain('cp-v115x');
    expect(blocks[1]).toContain('cp-v115x.istio-system · Istio 1.15.3');
    const { default: mermaid } = await import('mermaid');
    for (const b of blocks) await expect(mermaid.parse(b)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
  });

  it('says so when there is nothing to do, and writes nothing', async () => {
    const dir = await repoAt('single-cluster', '1.12.0');
    const before = snapshot(dir);
    const r = await cli('upgrade', '--to', '1.12.0', '-C', dir, '-o', 'markdown');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('### calisti-gitops upgrade\n\nCalisti 1.12.0 is up to date: nothing to do.\n');
    expect(snapshot(dir)).toEqual(before);
  });
});
