/**
 * `validate --root`: any Argo CD repo, from where Argo CD starts applying. Only what the root reaches
 * is checked; Argo CD objects in files nothing lists are reported, not expanded or built.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachableFiles } from '../../src/argocd/reach.js';
import { cli, tempDir } from '../helpers.js';

const REPO_URL = 'https://git.example.com/platform/gitops.git';

function argoRepo(): string {
  const dir = tempDir();
  const put = (p: string, text: string) => {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  };
  put(
    'root-app.yaml',
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: root, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: ${REPO_URL}, targetRevision: HEAD, path: apps}\n  destination: {server: https://kubernetes.default.svc, namespace: argocd}\n`,
  );
  put('apps/kustomization.yaml', 'resources:\n  - guestbook.yaml\n');
  put(
    'apps/guestbook.yaml',
    `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: guestbook, namespace: argocd}\nspec:\n  generators: [{list: {elements: [{env: dev}, {env: prod}]}}]\n  template:\n    metadata: {name: 'guestbook-{{env}}'}\n    spec:\n      project: default\n      source: {repoURL: ${REPO_URL}, targetRevision: HEAD, path: 'guestbook/{{env}}'}\n      destination: {server: https://kubernetes.default.svc, namespace: 'guestbook-{{env}}'}\n`,
  );
  put(
    'apps/forgotten.yaml',
    `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: forgotten, namespace: argocd}\nspec:\n  generators: [{list: {elements: [{x: '1'}]}}]\n  template: {metadata: {name: 'BAD_{{x}}'}, spec: {project: default, destination: {server: https://nowhere}}}\n`,
  );
  for (const env of ['dev', 'prod'])
    put(`guestbook/${env}/cm.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: guestbook, namespace: guestbook-${env}}\ndata: {env: ${env}}\n`);
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', REPO_URL]);
  return dir;
}

describe('reachable files', () => {
  it('follows the root Application into its kustomization, and nothing else', () => {
    const dir = argoRepo();
    expect(reachableFiles(dir, 'root-app.yaml', [REPO_URL]).files).toEqual(['root-app.yaml', 'apps/kustomization.yaml', 'apps/guestbook.yaml']);
    // Another repository's Application is not followed.
    expect(reachableFiles(dir, 'root-app.yaml', ['https://other.example.com/x']).files).toEqual(['root-app.yaml']);
    expect(reachableFiles(dir, '../etc', []).problems[0]).toMatch(/not found/);
  });
});

describe('validate --root', () => {
  it('validates an Argo CD repo without calisti.yaml; a stray ApplicationSet is reported, not checked', async () => {
    const dir = argoRepo();
    const r = await cli('validate', '-C', dir, '--root', 'root-app.yaml', '-o', 'json');
    const report = JSON.parse(r.stdout);
    expect(report.summary.applications).toBe(3); // root + guestbook-dev + guestbook-prod
    const rules = report.findings.map((f: { rule: string; file?: string }) => `${f.rule} ${f.file ?? ''}`);
    expect(rules).toContain('argocd/unreachable apps/forgotten.yaml');
    // forgotten.yaml would fail the name and destination checks if it were expanded.
    expect(rules.some((x: string) => /invalid-name|destination/.test(x))).toBe(false);
    expect(r.code, r.stdout).toBe(0);
    // Without --root, a folder without calisti.yaml is a usage error that names --root.
    const plain = await cli('validate', '-C', dir);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('--root');
  });
});
