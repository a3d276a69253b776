/** Hand edits survive any number of model changes, git gc included (their merge bases live in git). */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
const APPSET = 'apps/smm-controlplane/app-set.yaml';

describe('hand edits', () => {
  it('keep merging: a second and a third model change keep the edit, after git gc too', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const f = join(dir, APPSET);
    writeFileSync(f, readFileSync(f, 'utf8').replace('          - Replace=true\n', '          - Replace=true\n          - ServerSideApply=true\n'));
    git(dir, 'commit', '-qam', 'hand edit');
    for (const cluster of ['wc-3', 'wc-4', 'wc-5']) {
      const model = join(dir, 'calisti.yaml');
      writeFileSync(model, readFileSync(model, 'utf8').replace('clusters:\n', `clusters:\n  - name: ${cluster}\n    role: passive\n`));
      const r = await cli('generate', '-C', dir, '-o', 'json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).merged).toEqual([APPSET]);
      expect(readFileSync(f, 'utf8')).toContain('ServerSideApply=true');
      expect(readFileSync(f, 'utf8')).toContain(`cluster: ${cluster}`);
      git(dir, 'gc', '-q', '--prune=now');
    }
  });

  it('keep merging in a fresh clone, which has no refs/calisti-gitops: the bases are rendered again from the committed model', async () => {
    const origin = join(tempDir(), 'origin');
    expect((await cli('init', origin)).code).toBe(0);
    // The hand edit first, then a model change the origin merges it with: the pure render of that
    // model is then in no commit, only in the origin's refs/calisti-gitops.
    const model = (d: string) => join(d, 'calisti.yaml');
    const f = join(origin, APPSET);
    writeFileSync(f, readFileSync(f, 'utf8').replace('          - Replace=true\n', '          - Replace=true\n          - ServerSideApply=true\n'));
    git(origin, 'commit', '-qam', 'hand edit');
    writeFileSync(model(origin), readFileSync(model(origin), 'utf8').replace('clusters:\n', 'clusters:\n  - name: wc-3\n    role: passive\n'));
    expect((await cli('generate', '-C', origin)).code).toBe(0);
    const dir = join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', '--no-local', origin, dir]); // objects only through the transport, as from a server
    expect(git(dir, 'for-each-ref', 'refs/calisti-gitops')).toBe('');
    writeFileSync(model(dir), readFileSync(model(dir), 'utf8').replace('clusters:\n', 'clusters:\n  - name: wc-4\n    role: passive\n'));
    const r = await cli('generate', '-C', dir, '-o', 'json');
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).merged).toEqual([APPSET]);
    expect(readFileSync(join(dir, APPSET), 'utf8')).toContain('ServerSideApply=true');
    expect(readFileSync(join(dir, APPSET), 'utf8')).toContain('cluster: wc-4');
  });

  it('--force names every hand edit it discards', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const f = join(dir, APPSET);
    writeFileSync(f, readFileSync(f, 'utf8').replace('limit: 5', 'limit: 9'));
    const model = join(dir, 'calisti.yaml');
    writeFileSync(model, readFileSync(model, 'utf8').replace('clusters:\n', 'clusters:\n  - name: wc-3\n    role: passive\n'));
    const r = await cli('generate', '-C', dir, '--force', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).discarded).toEqual([
      { path: APPSET, resource: 'ApplicationSet/argocd/smm-cp-appset', field: 'spec.template.spec.syncPolicy.retry.limit' },
    ]);
    const text = await cli('generate', '-C', dir, '--force');
    expect(text.code).toBe(0);
  });
});
