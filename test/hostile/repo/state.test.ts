import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGeneratedPath } from '../../../src/render/layout.js';
import { parseState } from '../../../src/repo/state.js';
import { blobId } from '../../../src/repo/state.js';
import { cli, tempDir } from '../../helpers.js';

describe('a hostile .calisti-gitops/generated.json', () => {
  it.each([
    ['.git/HEAD', false],
    ['.git/config', false],
    ['manifests/.git/config', false],
    ['manifests/.GIT/config', false],
    ['../outside.yaml', false],
    ['manifests/../../x', false],
    ['/etc/passwd', false],
    ['calisti.yaml', false],
    ['sealed-secrets.yaml', false],
    ['.calisti-gitops/generated.json', false],
    ['charts/smm-operator/Chart.yaml', false],
    ['manifests//x.yaml', false],
    ['manifests\\x.yaml', false],
    ['README.md', true],
    ['export-secrets.sh', true],
    ['manifests/smm-controlplane/base/kustomization.yaml', true],
    ['apps/x/app-set.yaml', true],
  ])('%s renderable: %s', (path, ok) => {
    expect(isGeneratedPath(path)).toBe(ok);
  });

  it('is checked with a schema; bad entries name the field', () => {
    expect(() => parseState('{"files":{"README.md":"nope"}}')).toThrow(/files\.README\.md: not a git blob id/);
    expect(() => parseState('[]')).toThrow(/damaged/);
  });

  it.each([[['--no-commit']], [['--force', '--no-commit']], [['--force']]])('generate %j never deletes .git files or files outside the repo', async (flags) => {
    const top = tempDir();
    const dir = join(top, 'repo');
    expect((await cli('init', dir, '--example', 'multi-cluster')).code).toBe(0);
    const outside = join(top, 'outside.yaml');
    writeFileSync(outside, 'keep: me\n');
    const state = JSON.parse(readFileSync(join(dir, '.calisti-gitops/generated.json'), 'utf8')) as { files: Record<string, string> };
    for (const p of ['.git/HEAD', '.git/config', 'calisti.yaml']) state.files[p] = blobId(readFileSync(join(dir, p)));
    state.files['../outside.yaml'] = blobId(readFileSync(outside));
    writeFileSync(join(dir, '.calisti-gitops/generated.json'), JSON.stringify(state));
    const r = await cli('generate', '-C', dir, ...flags);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/never generates: left alone/);
    for (const p of ['.git/HEAD', '.git/config', 'calisti.yaml']) expect(existsSync(join(dir, p)), p).toBe(true);
    expect(existsSync(outside)).toBe(true);
    expect(execFileSync('git', ['-C', dir, 'fsck', '--no-progress'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
  });
});
