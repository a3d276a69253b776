import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, headCommit } from '../../src/repo/git.js';
import { cli, listFiles, snapshot, tempDir } from '../helpers.js';

async function freshRepo(example = 'multi-cluster'): Promise<string> {
  const dir = join(tempDir(), 'repo');
  const r = await cli('init', dir, '--example', example);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

const commits = async (dir: string) => (await git(dir).raw(['rev-list', '--count', 'HEAD'])).trim();
const status = async (dir: string) => (await git(dir).raw(['status', '--porcelain'])).trim();

/** Asserts that running fn leaves the working tree, the index and the history exactly as they were. */
async function expectUntouched(dir: string, fn: () => Promise<unknown>) {
  const before = { files: snapshot(dir), head: await headCommit(dir), status: await status(dir) };
  await fn();
  expect(snapshot(dir)).toEqual(before.files);
  expect(await headCommit(dir)).toBe(before.head);
  expect(await status(dir)).toBe(before.status);
}

describe('generate', () => {
  it('is a no-op on an unchanged model: same bytes, no commit', async () => {
    const dir = await freshRepo();
    const before = snapshot(dir);
    const r = await cli('generate', '-C', dir, '-o', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: false, commit: null, created: [], updated: [], deleted: [] });
    expect(snapshot(dir)).toEqual(before);
    expect(await commits(dir)).toBe('1');
  });

  it('renders the same bytes for the same model in two repos', async () => {
    const a = await freshRepo('active-active');
    const b = await freshRepo('active-active');
    expect(snapshot(a)).toEqual(snapshot(b));
  });

  it('commits a model change as one commit and removes what the model no longer produces', async () => {
    const dir = await freshRepo();
    const model = readFileSync(join(dir, 'calisti.yaml'), 'utf8');
    const one = model.replace(/ {2}- name: workload-cluster-2\n( {4}.*\n)+/, '').replace(/ {4}- cluster: workload-cluster-2\n( {6}.*\n)+/, '');
    writeFileSync(join(dir, 'calisti.yaml'), one);
    const r = await cli('generate', '-C', dir, '--allow-destructive', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.deleted).toEqual(expect.arrayContaining(['manifests/smm-controlplane/overlays/workload-cluster-2/control-plane.yaml', 'export-secrets.sh']));
    expect(existsSync(join(dir, 'manifests/smm-controlplane/overlays/workload-cluster-2'))).toBe(false);
    expect(existsSync(join(dir, 'components/smm-controlplane/passive'))).toBe(false);
    expect(await commits(dir)).toBe('2');
    // The model goes into the same commit as what it generated.
    expect(await status(dir)).toBe('');
    expect(await git(dir).raw(['show', '--name-only', '--format=', 'HEAD'])).toContain('calisti.yaml');
    expect((await git(dir).raw(['show', '--name-only', '--format=%s', 'HEAD'])).split('\n')[0]).toBe('chore(calisti): generate from calisti.yaml');
  });

  it("keeps a hand edit to a field the model does not change, and merges the model's change beside it", async () => {
    const dir = await freshRepo();
    const f = 'manifests/smm-controlplane/base/control-plane.yaml';
    // By hand: a comment and a tuned field of the ControlPlane.
    writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replace('      replicas: 1\n', '      replicas: 3 # tuned by hand\n'));
    // By the model: the istio namespace, which this file also holds.
    writeFileSync(
      join(dir, 'calisti.yaml'),
      readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('clusters:', 'istio:\n  namespace: istio-mesh\nclusters:'),
    );
    const r = await cli('generate', '-C', dir, '--allow-destructive', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).merged).toEqual([f]);
    const text = readFileSync(join(dir, f), 'utf8');
    expect(text).toContain('replicas: 3 # tuned by hand');
    expect(text).toContain('namespace: istio-mesh');
    expect(text).not.toContain('namespace: istio-system');
    // Next run: nothing to do, the edit stays.
    const again = JSON.parse((await cli('generate', '-C', dir, '--allow-destructive', '-o', 'json')).stdout);
    expect(again.changed).toBe(false);
    expect(again.kept).toEqual([f]);
  });

  it('reports a field changed both by hand and by the model, with file, resource and path, and writes nothing', async () => {
    const dir = await freshRepo();
    const f = 'manifests/smm-controlplane/base/control-plane.yaml';
    writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replace('namespace: istio-system', 'namespace: istio-by-hand'));
    writeFileSync(
      join(dir, 'calisti.yaml'),
      readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('clusters:', 'istio:\n  namespace: istio-mesh\nclusters:'),
    );
    await expectUntouched(dir, async () => {
      const r = await cli('generate', '-C', dir, '--allow-destructive');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${f}: ControlPlane//smm spec.meshManager.istio.istioCRRef.namespace (changed by hand and by the model)`);
      expect(r.stderr).toContain('--force');
    });
    const forced = await cli('generate', '-C', dir, '--allow-destructive', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, f), 'utf8')).not.toContain('istio-by-hand');
  });

  it('leaves a hand-added file in a generated folder alone', async () => {
    const dir = await freshRepo();
    writeFileSync(join(dir, 'manifests/smm-controlplane/base/notes.md'), 'mine\n');
    const r = await cli('generate', '-C', dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'manifests/smm-controlplane/base/notes.md'), 'utf8')).toBe('mine\n');
  });

  it('leaves everything as it was when the model is bad', async () => {
    const dir = await freshRepo();
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('role: passive', 'role: standby'));
    await expectUntouched(dir, async () => {
      const r = await cli('generate', '-C', dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/calisti\.yaml:\d+:\d+ clusters\[1\]\.role/);
    });
  });

  it('rolls every file back when the commit fails', async () => {
    const dir = await freshRepo();
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('targetRevision: HEAD', 'targetRevision: main'));
    const hook = join(dir, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho "hook says no" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    await expectUntouched(dir, async () => {
      const r = await cli('generate', '-C', dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('hook says no');
    });
  });

  it('rolls back too when a hook refuses the commit silently', async () => {
    const dir = await freshRepo();
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('targetRevision: HEAD', 'targetRevision: main'));
    writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    await expectUntouched(dir, async () => {
      const r = await cli('generate', '-C', dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/the pre-commit hook refused the commit: git hook exited with 1/);
    });
  });

  it("sweeps the scratch folders a killed run left in .git (a render's stream is the whole render), and nothing else", async () => {
    const dir = await freshRepo();
    for (const f of ['calisti-render-x1/stream', 'calisti-index-y2/index', 'calisti-notes/keep']) {
      mkdirSync(join(dir, '.git', f, '..'), { recursive: true });
      writeFileSync(join(dir, '.git', f), 'left\n');
    }
    const r = await cli('generate', '-C', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, '.git', 'calisti-render-x1'))).toBe(false);
    expect(existsSync(join(dir, '.git', 'calisti-index-y2'))).toBe(false);
    expect(existsSync(join(dir, '.git', 'calisti-notes', 'keep'))).toBe(true);
  });

  it('commits only its own paths, never what the user staged', async () => {
    const dir = await freshRepo();
    writeFileSync(join(dir, 'mine.txt'), 'staged by the user\n');
    await git(dir).raw(['add', 'mine.txt']);
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('targetRevision: HEAD', 'targetRevision: main'));
    const r = await cli('generate', '-C', dir);
    expect(r.code, r.stderr).toBe(0);
    const committed = (await git(dir).raw(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n');
    expect(committed).not.toContain('mine.txt');
    expect(await status(dir)).toContain('A  mine.txt');
  });

  it('takes a model from -f, stores it as calisti.yaml and commits it', async () => {
    const dir = await freshRepo();
    const other = join(tempDir(), 'fleet.yaml');
    writeFileSync(
      other,
      readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('meshID', 'meshID').replace('clusters:', 'istio:\n  meshID: mesh7\nclusters:'),
    );
    const r = await cli('generate', '-C', dir, '-f', other);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'calisti.yaml'), 'utf8')).toBe(readFileSync(other, 'utf8'));
    expect(await status(dir)).toBe('');
    expect(readFileSync(join(dir, 'manifests/smm-controlplane/base/istio-cp-v115x.yaml'), 'utf8')).toContain('meshID: mesh7');
  });

  it('--no-commit writes but does not commit', async () => {
    const dir = await freshRepo();
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('targetRevision: HEAD', 'targetRevision: main'));
    const r = await cli('generate', '-C', dir, '--no-commit');
    expect(r.code).toBe(0);
    expect(await commits(dir)).toBe('1');
    expect(await status(dir)).toContain('apps/demo-app/app-set.yaml');
  });

  it('restores a generated file deleted by hand and says so', async () => {
    const dir = await freshRepo();
    const f = 'manifests/demo-app/base/demo-app.yaml';
    const content = readFileSync(join(dir, f), 'utf8');
    renameSync(join(dir, f), join(tempDir(), 'gone.yaml'));
    const r = await cli('generate', '-C', dir, '-o', 'json');
    expect(JSON.parse(r.stdout).restored).toEqual([f]);
    expect(readFileSync(join(dir, f), 'utf8')).toBe(content);
  });

  it('never writes through a symlink that leads outside the repo', async () => {
    const dir = await freshRepo();
    const outside = tempDir('calisti-outside-');
    renameSync(join(dir, 'manifests/demo-app'), join(outside, 'demo-app'));
    symlinkSync(join(outside, 'demo-app'), join(dir, 'manifests/demo-app'));
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('targetRevision: HEAD', 'targetRevision: main'));
    const before = snapshot(outside);
    const r = await cli('generate', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/outside the repository/);
    expect(snapshot(outside)).toEqual(before);
  });

  it('refuses a generated file that is a symlink leading outside the repo', async () => {
    const dir = await freshRepo();
    const outside = join(tempDir('calisti-outside-'), 'secret.txt');
    writeFileSync(outside, 'not yours\n');
    const f = join(dir, 'manifests/demo-app/base/demo-app.yaml');
    rmSync(f);
    symlinkSync(outside, f);
    const r = await cli('generate', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a symlink that leads outside the repository/);
    expect(readFileSync(outside, 'utf8')).toBe('not yours\n');
  });

  it('keeps the trust script executable in git', async () => {
    const dir = await freshRepo();
    expect(await git(dir).raw(['ls-files', '-s', 'export-secrets.sh'])).toMatch(/^100755 /);
  });

  it('refuses a folder that is not a repo and an already initialized one', async () => {
    const dir = await freshRepo();
    expect((await cli('init', dir)).code).toBe(1);
    const plain = tempDir();
    mkdirSync(join(plain, 'x'));
    const r = await cli('generate', '-C', plain);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not in a git repository/);
    expect(listFiles(plain)).toEqual([]);
  });
});
