/**
 * The tool as a user installs it: `npm pack`, the tarball installed into an empty folder, then
 * `npx calisti-gitops init` and `validate` with nothing else on hand.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolkitRoot, toolkitVersion } from '../../src/toolkit.js';
import { tempDir } from '../helpers.js';

const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

describe('the npm package', () => {
  it('installs from its tarball and runs init and validate', () => {
    const out = tempDir('calisti-pack-');
    const pack = run('npm', ['pack', '--pack-destination', out], toolkitRoot);
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
    const app = join(out, 'app');
    run('mkdir', [app], out);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}\n');
    const install = run('npm', ['install', '--prefer-offline', join(out, tarball)], app);
    expect(install.status, install.stderr).toBe(0);
    const version = run('npx', ['--no-install', 'calisti-gitops', '--version'], app);
    expect(version.stdout.trim()).toBe(toolkitVersion);
    const init = run('npx', ['--no-install', 'calisti-gitops', 'init', join(out, 'repo'), '--example', 'single-cluster'], app);
    expect(init.status, init.stderr).toBe(0);
    const validate = run('npx', ['--no-install', 'calisti-gitops', 'validate', '-C', join(out, 'repo'), '-o', 'json'], app);
    expect(validate.status, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout).summary.applications).toBeGreaterThan(0);
  }, 240_000);
});
