/** The render kept as merge bases: fast-import and the scratch index store the same tree. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASES_REF, storeRender } from '../../src/repo/bases.js';
import { blobId } from '../../src/repo/state.js';
import { tempDir } from '../helpers.js';

const repo = () => {
  const dir = join(tempDir(), 'r');
  execFileSync('git', ['init', '-q', dir]);
  return dir;
};
const tree = (dir: string) => execFileSync('git', ['-C', dir, 'rev-parse', `${BASES_REF}^{tree}`], { encoding: 'utf8' }).trim();
const render = (files: Record<string, string>, executable = new Set<string>()) =>
  new Map(Object.entries(files).map(([p, content]) => [p, { content, executable: executable.has(p), blob: blobId(content) }]));

const FIRST = {
  'README.md': '# r\n',
  'a.sh': '#!/bin/sh\n',
  'manifests/demo/base/kustomization.yaml': 'resources: []\n',
  ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`manifests/demo/overlays/c${i}/kustomization.yaml`, `resources: [../../base]\n# ${i}\n`])),
};
const SECOND = { ...FIRST, 'README.md': '# r2\n', 'manifests/new/x.yaml': 'x: 1\n' } as Record<string, string>;
delete SECOND['manifests/demo/overlays/c3/kustomization.yaml'];

describe('storeRender', () => {
  it('stores the same tree through fast-import and through a scratch index, first and after a change', async () => {
    const [viaImport, viaIndex] = [repo(), repo()];
    const exec = new Set(['a.sh']);
    await storeRender(viaImport, render(FIRST, exec));
    await storeRender(viaIndex, render(FIRST, exec), 0);
    expect(tree(viaIndex)).toBe(tree(viaImport));
    await storeRender(viaImport, render(SECOND, exec));
    await storeRender(viaIndex, render(SECOND, exec), 0);
    expect(tree(viaIndex)).toBe(tree(viaImport));
    const listed = execFileSync('git', ['-C', viaIndex, 'ls-tree', '-r', BASES_REF], { encoding: 'utf8' });
    expect(listed).toContain('100755 blob');
    expect(listed).not.toContain('c3/');
    // The previous render stays reachable: the tip's parent.
    expect(execFileSync('git', ['-C', viaIndex, 'rev-list', '--count', BASES_REF], { encoding: 'utf8' }).trim()).toBe('2');
  });
});
