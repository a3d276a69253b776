/**
 * End to end, slow: the packed tarball installed into an empty folder runs `init` and `validate` with
 * nothing from this checkout. Run alone: npx vitest run --config test/vitest.config.ts test/package
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolkitRoot } from '../../src/toolkit.js';
import { tempDir } from '../helpers.js';

const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the npm package', () => {
  it('installs from its tarball and runs init, validate and --version', () => {
    const packDir = tempDir('calisti-pack-');
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], toolkitRoot)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const paths = packed!.files.map((f) => f.path);
    expect(paths).toContain('dist/src/cli/main.js');
    // The bundle bin/ starts from (npm run build).
    expect(paths).toContain('dist/cli/main.js');
    expect(paths.some((p) => p.startsWith('test/') || p.startsWith('dist/test/') || p.endsWith('.ts'))).toBe(false);

    const app = tempDir('calisti-install-');
    run('npm', ['init', '-y'], app);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(packDir, packed!.filename)], app);
    const version = JSON.parse(readFileSync(join(toolkitRoot, 'package.json'), 'utf8')).version;
    expect(run('npx', ['calisti-gitops', '--version'], app).trim()).toBe(version);
    run('npx', ['calisti-gitops', 'init', 'fleet', '--example', 'single-cluster'], app);
    const validate = spawnSync('npx', ['calisti-gitops', 'validate', '-C', 'fleet'], { cwd: app, encoding: 'utf8' });
    expect(validate.stderr + validate.stdout).toMatch(/^ok: 0 error\(s\)/m);
    expect(validate.status).toBe(0);
  }, 300_000);
});
