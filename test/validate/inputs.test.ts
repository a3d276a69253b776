/** What a build reads (its cache key) and what makes it unsafe to run: fixture trees, no kustomize. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHazards, buildKey, kustomizationInputs } from '../../src/validate/inputs.js';
import { tempDir } from '../helpers.js';

function tree(files: Record<string, string>): string {
  const root = tempDir();
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

describe('build inputs', () => {
  it('include every path field kustomize reads, configurations too', () => {
    const root = tree({
      'o/kustomization.yaml': 'resources: [cm.yaml]\nconfigurations: [names.yaml]\ncrds: [crd.yaml]\nreplacements:\n  - path: r.yaml\n',
      'o/cm.yaml': 'x',
      'o/names.yaml': 'y',
      'o/crd.yaml': 'z',
      'o/r.yaml': 'w',
    });
    expect(kustomizationInputs(root, 'o')!.sort()).toEqual(['o/cm.yaml', 'o/crd.yaml', 'o/kustomization.yaml', 'o/names.yaml', 'o/r.yaml']);
    const before = buildKey(root, 'o', '');
    writeFileSync(join(root, 'o/names.yaml'), 'changed');
    expect(buildKey(root, 'o', '')).not.toEqual(before);
  });
});

describe('build hazards', () => {
  it.each([
    ['a URL', 'resources: [https://example.com/x.yaml]\n', 'remote'],
    ['a git base', 'resources: [github.com/org/repo//dir?ref=v1]\n', 'remote'],
    ['an scp-style git base', 'resources: [git@github.com:org/repo.git]\n', 'remote'],
    ['a Helm chart to download', 'helmCharts:\n  - {name: c, repo: https://charts.example.com}\n', 'remote'],
  ])('%s is remote', (_name, kustomization, kind) => {
    const root = tree({ 'o/kustomization.yaml': kustomization });
    expect(buildHazards(root, 'o', 1 << 20).map((h) => h.kind)).toEqual([kind]);
  });

  it('symlinks out of the repo, to devices, loops and oversized files are unsafe; nothing is read', () => {
    const root = tree({
      'o/kustomization.yaml': 'resources: [zero.yaml, out.yaml, loop.yaml, big.yaml, ok.yaml]\n',
      'o/ok.yaml': 'a: 1\n',
      'o/big.yaml': 'a'.repeat(2048),
    });
    symlinkSync('/dev/zero', join(root, 'o/zero.yaml'));
    symlinkSync('/etc/passwd', join(root, 'o/out.yaml'));
    symlinkSync('loop.yaml', join(root, 'o/loop.yaml'));
    expect(buildHazards(root, 'o', 1024).map((h) => `${h.ref}: ${h.reason}`)).toEqual([
      'zero.yaml: a symlink that leads outside the repository',
      'out.yaml: a symlink that leads outside the repository',
      'loop.yaml: a symlink that resolves nowhere (dangling or a loop)',
      'big.yaml: 2048 bytes, larger than any manifest',
    ]);
  });
});
