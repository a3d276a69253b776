import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/diff/files.js';
import { changedPaths } from '../../src/diff/resources.js';
import { cli, snapshot, tempDir } from '../helpers.js';

async function repo(): Promise<string> {
  const dir = join(tempDir(), 'repo');
  expect((await cli('init', dir)).code).toBe(0);
  return dir;
}

describe('diff', () => {
  it('exits 0 and says so when the repo is what the model generates', async () => {
    const r = await cli('diff', '-C', await repo());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no change/);
  });

  it('shows file diffs and per-cluster resource changes, exits 1, and writes nothing', async () => {
    const dir = await repo();
    writeFileSync(
      join(dir, 'calisti.yaml'),
      readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('    network: workload-cluster-2\n', '    network: network2\n'),
    );
    const before = snapshot(dir);
    const r = await cli('diff', '-C', dir, '-o', 'json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    // calisti.yaml itself is already what the user wrote: generate would not touch it.
    expect(d.files.map((f: { path: string }) => f.path)).toEqual(['README.md', 'manifests/smm-controlplane/overlays/workload-cluster-2/istio-cp-v115x.yaml']);
    expect(d.files[1].diff).toMatch(/- {2}networkName: workload-cluster-2\n\+ {2}networkName: network2/);
    expect(Object.keys(d.clusters)).toEqual(['workload-cluster-2']);
    expect(d.clusters['workload-cluster-2'].changed).toEqual([
      { resource: expect.objectContaining({ kind: 'IstioControlPlane', name: 'cp-v115x' }), paths: ['spec.networkName'] },
    ]);
    expect(snapshot(dir)).toEqual(before);
    const md = await cli('diff', '-C', dir, '-o', 'markdown');
    expect(md.stdout).toMatch(/\| `workload-cluster-2` \| 0 \| 0 \| 1 \|/);
    expect(md.stdout).toContain('changed `IstioControlPlane/istio-system/cp-v115x`: `spec.networkName`');
  });

  it('names what Argo CD would delete when a cluster is removed', async () => {
    const dir = await repo();
    const model = join(dir, 'calisti.yaml');
    writeFileSync(
      model,
      readFileSync(model, 'utf8')
        .replace(/ {2}- name: workload-cluster-2\n( {4}.*\n)*?(?=\S)/, '')
        .replace(/ {4}- cluster: workload-cluster-2\n {6}components: \[.*\]\n/, ''),
    );
    const r = await cli('diff', '-C', dir, '-o', 'json');
    expect(r.code, r.stderr).toBe(1);
    expect(
      JSON.parse(r.stdout)
        .destructive.map((d: { kind: string; name: string }) => `${d.kind} ${d.name}`)
        .sort(),
    ).toEqual(['Application demo-app@workload-cluster-2', 'Application smm-controlplane@workload-cluster-2', 'Application smm-operator@workload-cluster-2']);
    // The Applications that disappear, by name, from the expanded ApplicationSets.
    expect(JSON.parse(r.stdout).applications).toEqual({
      added: [],
      removed: ['demo-app-workload-cluster-2', 'smm-cp-workload-cluster-2', 'smm-operator-workload-cluster-2'],
    });
    const text = await cli('diff', '-C', dir);
    expect(text.stdout).toContain('Applications Argo CD creates / deletes:\n  - demo-app-workload-cluster-2\n');
    expect(text.stdout).toContain('destructive (Argo CD deletes these on the clusters):\n  ! the demo-app Application of workload-cluster-2');
    expect(text.stdout).toMatch(
      / {2}! the smm-controlplane Application of workload-cluster-2 .* deletes everything it deployed .*among them .*Namespace\/istio-system/,
    );
    expect((await cli('diff', '-C', dir, '-o', 'markdown')).stdout).toContain('> [!CAUTION]');
  });

  it('never prints a Secret value', async () => {
    const dir = await repo();
    const f = join(dir, 'manifests/smm-operator/overlays/workload-cluster-2/registry-pull-secret.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('{"auths":{}}', '{"auths":{"r":{"auth":"c2VjcmV0"}}}'));
    // The model drops the cluster whose Secret was edited by hand: a conflict, shown as --force would do it.
    const model = readFileSync(join(dir, 'calisti.yaml'), 'utf8')
      .replace(/ {2}- name: workload-cluster-2\n( {4}.*\n)+/, '')
      .replace(/ {4}- cluster: workload-cluster-2\n( {6}.*\n)+/, '');
    const other = join(tempDir(), 'one.yaml');
    writeFileSync(other, model);
    const r = await cli('diff', '-C', dir, '-f', other);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('c2VjcmV0');
    expect(r.stdout).toMatch(/<redacted [0-9a-f]{12}>/);
    expect(r.stdout).toMatch(/generate would refuse these hand-edited files/);
  });

  it('exits 2 on errors, as flux diff does', async () => {
    const dir = await repo();
    writeFileSync(join(dir, 'calisti.yaml'), 'apiVersion: nope\n');
    const r = await cli('diff', '-C', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/calisti\.yaml:1:1/);
  });

  it('redacts data, stringData and encryptedData of Secrets and SealedSecrets only', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: visible\n---\napiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2\n---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n    token: AgB0\n';
    const out = redactSecrets('x.yaml', text);
    expect(out).toContain('a: visible');
    expect(out).not.toMatch(/hunter2|AgB0/);
  });

  it('redacts a ControlPlane OIDC client secret written in clear', () => {
    const text =
      'apiVersion: smm.cisco.com/v1alpha1\nkind: ControlPlane\nmetadata: {name: smm}\nspec:\n  smm:\n    auth:\n      oidc:\n        client:\n          id: dashboard\n          secret: oidc-client-s3cret-value\n';
    const out = redactSecrets('cp.yaml', text);
    expect(out).not.toContain('oidc-client-s3cret-value');
    expect(out).toContain('id: dashboard');
  });

  it('reports changed field paths, lists that change length as a whole', () => {
    expect(changedPaths({ a: { b: 1, c: [1, 2] } }, { a: { b: 2, c: [1, 2, 3] } }, '')).toEqual(['a.b', 'a.c']);
  });
});
