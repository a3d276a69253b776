import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKustomize, kustomizeBuild } from '../../src/kustomize/build.js';
import { git, headCommit } from '../../src/repo/git.js';
import { examplesDir } from '../../src/toolkit.js';
import { cli, CRD_ARGS, parseYamlDocs, snapshot, tempDir } from '../helpers.js';

const CRDS = CRD_ARGS;
const tool = findKustomize();

async function repoAt(example: string, version: string): Promise<string> {
  const model = join(tempDir(), 'calisti.yaml');
  writeFileSync(model, readFileSync(join(examplesDir, example, 'calisti.yaml'), 'utf8').replace('version: 1.12.0', `version: ${version}`));
  const dir = join(tempDir(), 'repo');
  const r = await cli('init', dir, '-f', model);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

async function build(dir: string, overlay: string) {
  const b = await kustomizeBuild(tool, join(dir, overlay));
  expect(b.ok, b.stderr).toBe(true);
  return parseYamlDocs(b.yaml);
}

const log = async (dir: string) => (await git(dir).raw(['log', '--format=%s'])).trim().split('\n');

describe('upgrade', () => {
  it('1.11.0 -> 1.12.0: one commit, validates, then up to date, and diff finds nothing', async () => {
    const dir = await repoAt('multi-cluster', '1.11.0');
    const r = await cli('upgrade', '--to', '1.12.0', '-C', dir, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['from', 'to', 'changed', 'commit', 'branch', 'steps', 'files', 'clusters', 'followUps']);
    expect(out).toMatchObject({ from: '1.11.0', to: '1.12.0', changed: true });
    expect(out.files).toContain('apps/smm-operator/app-set.yaml');
    expect(out.followUps).toContain('restart workloads for the new proxy: kubectl --context workload-cluster-2 rollout restart deployment -n smm-demo');
    expect(await log(dir)).toEqual(['chore(calisti): upgrade 1.11.0 -> 1.12.0', 'chore(calisti): initialize calisti-gitops repository']);
    const appSet = parseYamlDocs(readFileSync(join(dir, 'apps/smm-operator/app-set.yaml'), 'utf8'))[0]!;
    expect(appSet.spec.template.spec.sources[0].targetRevision).toBe('1.12.0');
    expect((await cli('validate', '-C', dir, ...CRDS)).code).toBe(0);

    const head = await headCommit(dir);
    const again = await cli('upgrade', '--to', '1.12.0', '-C', dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/up to date/);
    expect(await headCommit(dir)).toBe(head);
    expect((await cli('diff', '-C', dir)).code).toBe(0);
  });

  it('1.10.0 -> 1.11.0: a canary control plane; migrate, refuse to prune, migrate all, prune', async () => {
    const dir = await repoAt('active-active', '1.10.0');
    const before = readFileSync(join(dir, 'calisti.yaml'), 'utf8');
    const r = await cli('upgrade', '--to', '1.11.0', '-C', dir, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.followUps.join('\n')).toMatch(/istio migrate --namespace <ns> --to cp-v115x/);
    for (const c of ['workload-cluster-1', 'workload-cluster-2']) {
      const objs = await build(dir, `manifests/smm-controlplane/overlays/${c}`);
      expect(
        objs
          .filter((o) => o.kind === 'IstioControlPlane')
          .map((o) => [o.metadata.name, o.spec.version])
          .sort(),
      ).toEqual([
        ['cp-v113x', '1.13.5'],
        ['cp-v115x', '1.15.3'],
      ]);
      expect(objs.find((o) => o.kind === 'ControlPlane')!.spec.meshManager.istio.istioCRRef.name).toBe('cp-v115x');
      expect(objs.find((o) => o.kind === 'IstioMeshGateway')!.spec.istioControlPlane.name).toBe('cp-v113x');
      expect(out.clusters[c].added).toEqual([expect.objectContaining({ kind: 'IstioControlPlane', name: 'cp-v115x' })]);
    }
    const demo = await build(dir, 'manifests/demo-app/overlays/workload-cluster-1');
    expect(demo.find((o) => o.kind === 'Namespace')!.metadata.labels['istio.io/rev']).toBe('cp-v113x.istio-system');
    expect((await cli('validate', '-C', dir, ...CRDS)).code).toBe(0);

    expect((await cli('istio', 'migrate', '--namespace', 'smm-demo', '--to', 'cp-v115x', '-C', dir)).code).toBe(0);
    const refused = await cli('istio', 'prune', '-C', dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cp-v113x: namespace smm-demo-gw \(gateway demo-gw\)/);
    expect((await cli('istio', 'migrate', '--namespace', 'smm-demo', '--rollback', '-C', dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'calisti.yaml'), 'utf8')).toMatch(/ {2}revision: cp-v113x\n/);
    expect((await cli('istio', 'migrate', '--namespace', 'smm-demo,smm-demo-gw', '--to', 'cp-v115x', '-C', dir)).code).toBe(0);
    const pruned = await cli('istio', 'prune', '-C', dir, '-o', 'json');
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(JSON.parse(pruned.stdout).pruned).toEqual(['cp-v113x']);
    expect((await cli('validate', '-C', dir, ...CRDS)).code).toBe(0);
    const objs = await build(dir, 'manifests/smm-controlplane/overlays/workload-cluster-2');
    expect(objs.filter((o) => o.kind === 'IstioControlPlane').map((o) => o.metadata.name)).toEqual(['cp-v115x']);
    // The model is back to its own form: only the version moved; comments and layout kept.
    expect(readFileSync(join(dir, 'calisti.yaml'), 'utf8')).toBe(before.replace('version: 1.10.0', 'version: 1.11.0'));
    expect((await log(dir)).length).toBe(6);
  });

  it('refuses to skip a minor, names the step between, and changes nothing', async () => {
    const dir = await repoAt('multi-cluster', '1.10.0');
    const files = snapshot(dir);
    const head = await headCommit(dir);
    const r = await cli('upgrade', '--to', '1.12.0', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/skips 1\.11\.x/);
    expect(r.stderr).toMatch(/1\.10\.0 -> 1\.11\.0 -> 1\.12\.0/);
    expect(snapshot(dir)).toEqual(files);
    expect(await headCommit(dir)).toBe(head);
    expect((await cli('upgrade', '--to', '1.9.1', '-C', dir)).stderr).toMatch(/downgrades are not supported/);
    expect((await cli('upgrade', '--to', '2.0.0', '-C', dir)).stderr).toMatch(/unknown Calisti version 2\.0\.0/);
  });

  it('--branch commits on that branch and leaves the current one alone', async () => {
    const dir = await repoAt('single-cluster', '1.11.0');
    const main = await headCommit(dir);
    const r = await cli('upgrade', '--to', '1.12.0', '-C', dir, '--branch', 'calisti/upgrade-1.12.0');
    expect(r.code, r.stderr).toBe(0);
    expect((await git(dir).raw(['rev-parse', 'main'])).trim()).toBe(main);
    expect((await git(dir).raw(['log', '-1', '--format=%s', 'calisti/upgrade-1.12.0'])).trim()).toBe('chore(calisti): upgrade 1.11.0 -> 1.12.0');
  });

  it('outdated reports the next supported upgrade', async () => {
    const dir = await repoAt('multi-cluster', '1.10.0');
    const r = await cli('outdated', '-C', dir, '-o', 'json');
    expect(JSON.parse(r.stdout)).toMatchObject({ calisti: '1.10.0', next: '1.11.0', latest: '1.12.0' });
  });
});

describe('upgrade of a vendored chart', () => {
  async function vendoredRepo() {
    const model = join(tempDir(), 'calisti.yaml');
    writeFileSync(
      model,
      readFileSync(join(examplesDir, 'single-cluster', 'calisti.yaml'), 'utf8').replace('  version: 1.12.0\n', '  version: 1.11.0\n  chart: vendored\n'),
    );
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir, '-f', model)).code).toBe(0);
    mkdirSync(join(dir, 'charts/smm-operator'), { recursive: true });
    writeFileSync(join(dir, 'charts/smm-operator/Chart.yaml'), 'name: smm-operator\nversion: 1.11.0\n');
    await git(dir).raw(['add', 'charts']);
    await git(dir).raw(['commit', '-qm', 'vendor chart']);
    // helm is not installed here: a stand-in that "pulls" by writing the chart it is asked for.
    const bin = tempDir();
    writeFileSync(
      join(bin, 'helm'),
      '#!/bin/sh\n# args: pull oci://<repo>/<name> --version V --untar --destination D\nmkdir -p "$7/smm-operator" && printf "name: smm-operator\\nversion: %s\\n" "$4" > "$7/smm-operator/Chart.yaml"\n',
      { mode: 0o755 },
    );
    return { dir, bin };
  }

  it('replaces charts/smm-operator with helm pull, in the upgrade commit', async () => {
    const { dir, bin } = await vendoredRepo();
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const r = await cli('upgrade', '--to', '1.12.0', '-C', dir);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      process.env.PATH = path;
    }
    expect(readFileSync(join(dir, 'charts/smm-operator/Chart.yaml'), 'utf8')).toContain('version: 1.12.0');
    expect(await git(dir).raw(['show', '--name-only', '--format=', 'HEAD'])).toContain('charts/smm-operator/Chart.yaml');
    expect((await git(dir).raw(['status', '--porcelain'])).trim()).toBe('');
  });

  it('puts the old chart back when the upgrade fails after the pull', async () => {
    const { dir, bin } = await vendoredRepo();
    writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const before = snapshot(dir);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      expect((await cli('upgrade', '--to', '1.12.0', '-C', dir)).code).toBe(1);
    } finally {
      process.env.PATH = path;
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('stops before changing anything when helm is missing', async () => {
    const { dir } = await vendoredRepo();
    const before = snapshot(dir);
    const r = await cli('upgrade', '--to', '1.12.0', '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/helm is not installed/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('every path into the repo goes through the upgrade rules', () => {
  async function at(version: string): Promise<string> {
    const dir = join(tempDir(), 'repo');
    const model = join(tempDir(), 'calisti.yaml');
    writeFileSync(model, readFileSync(join(examplesDir, 'multi-cluster/calisti.yaml'), 'utf8').replace('version: 1.12.0', `version: ${version}`));
    expect((await cli('init', dir, '-f', model)).code).toBe(0);
    return dir;
  }
  const setVersion = (dir: string, v: string) =>
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace(/version: 1\.\d+\.\d+/, `version: ${v}`));

  it('generate refuses a hand version bump that skips a minor or swaps Istio in place, naming upgrade', async () => {
    const dir = await at('1.10.0');
    const before = snapshot(dir);
    setVersion(dir, '1.12.0');
    const skip = await cli('generate', '-C', dir);
    expect(skip.code).toBe(1);
    expect(skip.stderr).toMatch(/skips 1\.11\.x/);
    setVersion(dir, '1.11.0');
    const swap = await cli('generate', '-C', dir);
    expect(swap.code).toBe(1);
    expect(swap.stderr).toMatch(/Istio control plane cp-v113x leaves the fleet while .* still use/);
    expect(swap.stderr).toContain('next: set calisti.version back to 1.10.0, then: calisti-gitops upgrade --to 1.11.0');
    setVersion(dir, '1.10.0');
    expect(snapshot(dir)).toEqual(before);
  });

  it('upgrade refuses unrelated uncommitted model edits, and a later run commits a pending --no-commit upgrade', async () => {
    const dir = await at('1.11.0');
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('network: network1', 'network: net-7'));
    const dirty = await cli('upgrade', '--to', '1.12.0', '-C', dir);
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toMatch(/calisti\.yaml has uncommitted changes \(line \d+: "network: net-7"\)/);
    execFileSync('git', ['-C', dir, 'checkout', '--', 'calisti.yaml']);
    expect((await cli('upgrade', '--to', '1.12.0', '--no-commit', '-C', dir)).code).toBe(0);
    const pending = await cli('upgrade', '--to', '1.12.0', '-C', dir, '-o', 'json');
    expect(pending.code, pending.stderr).toBe(0);
    expect(JSON.parse(pending.stdout)).toMatchObject({ from: '1.11.0', to: '1.12.0', changed: true, commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(execFileSync('git', ['-C', dir, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim()).toBe('chore(calisti): upgrade 1.11.0 -> 1.12.0');
    expect(execFileSync('git', ['-C', dir, 'status', '--porcelain'], { encoding: 'utf8' })).toBe('');
  });
});
