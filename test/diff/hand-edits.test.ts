/** diff lists the hand edits generate keeps, kept as edited or merged, in text, markdown and JSON (issue 10). */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { encoding: 'utf8' });
const APPSET = 'apps/smm-controlplane/app-set.yaml';
const EDIT = { path: APPSET, resource: 'ApplicationSet/argocd/smm-cp-appset', field: 'spec.template.spec.syncPolicy.retry.limit' };

describe('diff and hand edits', () => {
  it("lists a kept hand edit even when nothing changes, and a merged one beside the model's change", async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const f = join(dir, APPSET);
    writeFileSync(f, readFileSync(f, 'utf8').replace('limit: 5', 'limit: 9'));
    git(dir, 'commit', '-qam', 'hand edit');

    const same = await cli('diff', '-C', dir, '-o', 'json');
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).handEdits).toEqual([EDIT]);
    const text = await cli('diff', '-C', dir);
    expect(text.stdout).toBe(
      `no change: the repo is what calisti.yaml generates\n\nhand edits generate keeps (1):\n  = ${EDIT.path} ${EDIT.resource} ${EDIT.field}\n`,
    );

    // A new cluster changes the same file: the edit is merged, and still listed.
    const model = join(dir, 'calisti.yaml');
    writeFileSync(model, readFileSync(model, 'utf8').replace('clusters:\n', 'clusters:\n  - name: wc-3\n    role: passive\n'));
    const merged = await cli('diff', '-C', dir, '-o', 'json');
    expect(merged.code, merged.stderr).toBe(1);
    const report = JSON.parse(merged.stdout);
    expect(report.handEdits).toEqual([EDIT]);
    expect(report.files.find((x: { path: string }) => x.path === APPSET).diff).toContain('cluster: wc-3');
    const md = await cli('diff', '-C', dir, '-o', 'markdown');
    expect(md.stdout).toContain(
      `<details><summary>1 hand edit(s) generate keeps</summary>\n\n- \`${EDIT.path}\` \`${EDIT.resource}\` \`${EDIT.field}\`\n\n</details>`,
    );
    const txt = await cli('diff', '-C', dir);
    expect(txt.stdout).toContain(`hand edits generate keeps (1):\n  = ${EDIT.path}`);
  });

  it('lists none when the repo has no hand edit', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const r = await cli('diff', '-C', dir, '-o', 'json');
    expect(JSON.parse(r.stdout).handEdits).toEqual([]);
    expect((await cli('diff', '-C', dir)).stdout).not.toContain('hand edits');
  });
});
