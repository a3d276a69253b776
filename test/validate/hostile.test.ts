/**
 * validate against repos built to fool or use it: remote resources it must not fetch, repoURL
 * spellings, stale cache keys, clear Secrets in the build cache, files that never end.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildAborted, buildMemoryMiB, findKustomize, inheritedLimit, which } from '../../src/kustomize/build.js';
import { Builder } from '../../src/validate/builds.js';
import { runValidate } from '../../src/validate/index.js';
import { buildKey } from '../../src/validate/inputs.js';
import { meta } from '../../src/validate/objects.js';
import { normalizeGitURL } from '../../src/argocd/repo-url.js';
import { toolkitRoot } from '../../src/toolkit.js';
import { cli, tempDir } from '../helpers.js';

const bin = join(toolkitRoot, 'bin', 'calisti-gitops');

const tool = findKustomize();
const OVERLAY = 'manifests/smm-operator/overlays/workload-cluster-1';

function writer(root: string) {
  return (p: string, s: string) => {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), s);
  };
}

/** A tree to build from, its writer, and an empty build cache. */
function buildFixture() {
  const root = tempDir();
  return { root, cache: tempDir(), write: writer(root) };
}

/** A kustomization in `dir` of one plain ConfigMap. */
function configMapKustomization(write: (p: string, s: string) => void, dir: string): void {
  write(`${dir}/kustomization.yaml`, 'resources:\n  - cm.yaml\n');
  write(`${dir}/cm.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
}

async function initRepo(): Promise<string> {
  const dir = join(tempDir(), 'repo');
  expect((await cli('init', dir)).code).toBe(0);
  return dir;
}

const rules = (r: Awaited<ReturnType<typeof runValidate>>) => r.findings.map((f) => f.rule);

describe('remote resources', () => {
  it('are refused offline with kustomize/remote-resource and never fetched; --allow-remote fetches', async () => {
    let requests = 0;
    const server = createServer((_, res) => {
      requests++;
      res.end('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const dir = await initRepo();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cm.yaml`;
      writeFileSync(
        join(dir, OVERLAY, 'kustomization.yaml'),
        `resources:\n  - registry-pull-secret.yaml\n  - ${url}\n  - github.com/example/repo//base?ref=v1\n`,
      );
      const r = await runValidate({ dir, strict: false, crds: [], cacheDir: null });
      expect(rules(r)).toContain('kustomize/remote-resource');
      expect(
        r.findings
          .filter((f) => f.rule === 'kustomize/remote-resource')
          .map((f) => f.message)
          .join(' '),
      ).toMatch(/127\.0\.0\.1|github\.com/);
      expect(requests).toBe(0);
      writeFileSync(join(dir, OVERLAY, 'kustomization.yaml'), `resources:\n  - registry-pull-secret.yaml\n  - ${url}\n`);
      const allowed = await runValidate({ dir, strict: false, crds: [], cacheDir: null, allowRemote: true });
      expect(rules(allowed)).not.toContain('kustomize/remote-resource');
      expect(requests).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });

  it('the CLI flag exists', async () => {
    const r = await cli('validate', '--help');
    expect(r.stdout + r.stderr).toContain('--allow-remote');
  });
});

describe('repo URLs', () => {
  it.each([
    ['https://github.com/Org/Repo.git', 'https://github.com/org/repo'],
    ['https://github.com/org/repo/', 'https://github.com/org/repo'],
    ['HTTPS://GITHUB.COM/org/repo.git/', 'https://github.com/org/repo'],
    ['git@github.com:org/repo.git', 'ssh://git@github.com/org/repo'],
    ['ssh://git@GitHub.com/org/repo.git', 'git@github.com:org/repo'],
    ['  https://github.com/org/repo  ', 'https://github.com/org/repo'],
  ])('%s is the same repo as %s', (url, normal) => {
    expect(normalizeGitURL(url)).toBe(normalizeGitURL(normal));
  });

  it('tells other repos apart', () => {
    expect(normalizeGitURL('git@github.com:org/repo.git')).toBe(normalizeGitURL('ssh://git@github.com/org/repo'));
    expect(normalizeGitURL('https://github.com/org/repo')).not.toBe(normalizeGitURL('https://github.com/org/repo2'));
  });

  it('a source spelled differently is still built; a foreign source gets a finding', async () => {
    const dir = await initRepo();
    const appset = join(dir, 'apps/demo-app/app-set.yaml');
    writeFileSync(
      appset,
      readFileSync(appset, 'utf8').replace('https://github.com/github-id/calisti-gitops.git', 'HTTPS://github.com/GitHub-ID/calisti-gitops/'),
    );
    // A broken overlay: only a build finds it.
    writeFileSync(join(dir, 'manifests/demo-app/overlays/workload-cluster-1/kustomization.yaml'), 'resources:\n  - missing.yaml\n');
    const r = await runValidate({ dir, strict: false, crds: [], cacheDir: null });
    expect(r.findings.some((f) => f.rule === 'kustomize/build-failed' && f.application?.includes('demo-app'))).toBe(true);

    writeFileSync(
      appset,
      readFileSync(appset, 'utf8').replace('HTTPS://github.com/GitHub-ID/calisti-gitops/', 'https://github.com/someone-else/calisti-gitops.git'),
    );
    const foreign = await runValidate({ dir, strict: false, crds: [], cacheDir: null });
    expect(rules(foreign)).toContain('app/source-not-checked');
  });
});

describe('the build cache', () => {
  it.each([
    ['configurations', 'configurations:\n  - conf.yaml\n'],
    ['crds', 'crds:\n  - conf.yaml\n'],
    ['transformers', 'transformers:\n  - conf.yaml\n'],
    ['generators', 'generators:\n  - conf.yaml\n'],
    ['validators', 'validators:\n  - conf.yaml\n'],
    ['openapi', 'openapi:\n  path: conf.yaml\n'],
    ['replacements', 'replacements:\n  - path: conf.yaml\n'],
    ['patches', 'patches:\n  - path: conf.yaml\n'],
    ['components', 'components:\n  - comp\n'],
  ])('keys a build by the files of %s', (_, field) => {
    const root = tempDir();
    const write = writer(root);
    write('k/kustomization.yaml', `resources:\n  - cm.yaml\n${field}`);
    write('k/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    write('k/conf.yaml', 'a: 1\n');
    write('k/comp/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - x.yaml\n');
    write('k/comp/x.yaml', 'a: 1\n');
    const before = buildKey(root, 'k', 'tool');
    write(field.startsWith('components') ? 'k/comp/x.yaml' : 'k/conf.yaml', 'a: 2\n');
    expect(buildKey(root, 'k', 'tool')).not.toBe(before);
  });

  it('a changed transformer configuration is rebuilt, not served stale', async () => {
    const { root, cache, write } = buildFixture();
    write('k/kustomization.yaml', 'resources:\n  - cm.yaml\nconfigurations:\n  - conf.yaml\nnamePrefix: p-\n');
    write('k/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    write('k/conf.yaml', 'namePrefix:\n  - path: metadata/name\n');
    const build = async () => {
      const b = new Builder(root, tool, cache, { shareShapes: false });
      try {
        return await b.build({ path: 'k' });
      } finally {
        b.dispose();
      }
    };
    expect(meta((await build()).objects[0]!.obj).name).toBe('p-a');
    write('k/conf.yaml', 'namePrefix:\n  - path: metadata/name\n    kind: Deployment\n');
    const second = await build();
    expect(second.cached).toBe(false);
    expect(meta(second.objects[0]!.obj).name).toBe('a');
  });

  it('a build stopped by its signal, before or while it runs, rejects and caches nothing', async () => {
    const { root, cache, write } = buildFixture();
    configMapKustomization(write, 'c');
    for (const when of ['before', 'while'] as const) {
      const stop = new AbortController();
      if (when === 'before') stop.abort();
      const b = new Builder(root, tool, cache, { shareShapes: false, signal: stop.signal });
      try {
        const built = b.build({ path: 'c' });
        // Stopped once kustomize has started: the process is killed.
        if (when === 'while') setTimeout(() => stop.abort(), 20);
        await expect(built, when).rejects.toBeInstanceOf(BuildAborted);
      } finally {
        b.dispose();
      }
      expect(readdirSync(cache), when).toEqual([]);
    }
  });

  it('never keeps a clear Secret value on disk; builds without one are cached', async () => {
    const { root, cache, write } = buildFixture();
    write('s/kustomization.yaml', 'resources:\n  - s.yaml\nsecretGenerator:\n  - name: g\n    literals:\n      - password=leak-cache-2\n');
    write('s/s.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: leak-cache-1\n');
    configMapKustomization(write, 'c');
    const b = new Builder(root, tool, cache, { shareShapes: false });
    try {
      expect((await b.build({ path: 's' })).ok).toBe(true);
      expect((await b.build({ path: 'c' })).ok).toBe(true);
    } finally {
      b.dispose();
    }
    const files = readdirSync(cache);
    expect(files.length).toBe(1);
    const all = files.map((f) => readFileSync(join(cache, f), 'utf8')).join('');
    expect(all).not.toContain('leak-cache');
    expect(all).not.toContain(Buffer.from('leak-cache-2').toString('base64'));
  });
});

describe('files that never end', () => {
  it('a resource pointing at /dev/zero, a FIFO or a symlink loop does not hang validate', async () => {
    const dir = await initRepo();
    const o = join(dir, OVERLAY);
    symlinkSync('/dev/zero', join(o, 'zero.yaml'));
    execFileSync('mkfifo', [join(o, 'fifo.yaml')]);
    symlinkSync('loop-b.yaml', join(o, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(o, 'loop-b.yaml'));
    writeFileSync(join(o, 'kustomization.yaml'), 'resources:\n  - registry-pull-secret.yaml\n  - zero.yaml\n  - fifo.yaml\n  - loop-a.yaml\n');
    symlinkSync('/dev/zero', join(dir, 'apps/zero.yaml'));
    execFileSync('mkfifo', [join(dir, 'apps/fifo.yaml')]);
    const t0 = Date.now();
    const r = await runValidate({ dir, strict: false, crds: [], cacheDir: null });
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(
      r.findings
        .filter((f) => f.rule === 'kustomize/unsafe-input')
        .map((f) => f.message)
        .join(' '),
    ).toMatch(/zero\.yaml/);
  }, 90_000);

  it('a kustomization file that is a link to /dev/zero, a FIFO or a folder is refused, not read', async () => {
    const dir = await initRepo();
    const o = join(dir, OVERLAY);
    for (const name of ['zero', 'fifo', 'folder']) mkdirSync(join(dir, 'extra', name), { recursive: true });
    symlinkSync('/dev/zero', join(dir, 'extra/zero/kustomization.yaml'));
    execFileSync('mkfifo', [join(dir, 'extra/fifo/kustomization.yaml')]);
    mkdirSync(join(dir, 'extra/folder/kustomization.yaml'));
    writeFileSync(
      join(o, 'kustomization.yaml'),
      'resources:\n  - registry-pull-secret.yaml\n  - ../../../../extra/zero\n  - ../../../../extra/fifo\n  - ../../../../extra/folder\n',
    );
    // In a child process with a deadline: a regression reads forever, and must not take the test runner with it.
    const r = spawnSync(bin, ['validate', '-C', dir, '-o', 'json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal, r.stderr).toBeNull();
    const report = JSON.parse(r.stdout) as { findings: { rule: string; message: string; file?: string }[] };
    const unsafe = report.findings.filter((f) => f.rule === 'kustomize/unsafe-input').map((f) => `${f.file}: ${f.message}`);
    expect(unsafe.join('\n')).toMatch(/extra\/zero\/kustomization\.yaml: .*leads outside the repository/);
    expect(unsafe.join('\n')).toMatch(/extra\/fifo\/kustomization\.yaml: .*not a regular file/);
    for (const command of [
      ['diff', '-C', dir],
      ['generate', '-C', dir, '--no-commit'],
    ]) {
      const c = spawnSync(bin, command, { encoding: 'utf8', timeout: 60_000 });
      expect(c.signal, `${command[0]}: ${c.stderr}`).toBeNull();
      expect(c.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  }, 200_000);

  it('a model that is a link to /dev/zero or a FIFO is refused with a clear error by every command', async () => {
    const dir = await initRepo();
    for (const make of [() => symlinkSync('/dev/zero', join(dir, 'calisti.yaml')), () => execFileSync('mkfifo', [join(dir, 'calisti.yaml')])]) {
      rmSync(join(dir, 'calisti.yaml'));
      make();
      for (const command of [
        ['validate', '-C', dir],
        ['generate', '-C', dir],
        ['diff', '-C', dir],
      ]) {
        const r = spawnSync(bin, command, { encoding: 'utf8', timeout: 60_000 });
        expect(r.signal, `${command[0]}: ${r.stderr}`).toBeNull();
        expect(r.stdout + r.stderr, command[0]).toMatch(/calisti\.yaml: not a regular file/);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    }
  }, 200_000);

  it('an alias bomb in an Application file and a git files generator over a 5 MB file are findings; diff still runs', async () => {
    const dir = await initRepo();
    const repoURL = 'https://github.com/github-id/calisti-gitops.git';
    const levels = Array.from({ length: 10 }, (_, i) => `  a${i + 1}: &a${i + 1} [${Array(12).fill(`*a${i}`).join(', ')}]`);
    writeFileSync(
      join(dir, 'apps/bomb.yaml'),
      ['apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: {name: bomb, namespace: argocd}', 'spec:', '  a0: &a0 [x, x]', ...levels, ''].join(
        '\n',
      ),
    );
    mkdirSync(join(dir, 'big'));
    writeFileSync(join(dir, 'big/x.json'), `{"v": "${'x'.repeat(5 * 1024 * 1024)}"}`);
    writeFileSync(
      join(dir, 'apps/gitset.yaml'),
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: ApplicationSet',
        'metadata: {name: gitset, namespace: argocd}',
        'spec:',
        '  goTemplate: true',
        `  generators: [{git: {repoURL: '${repoURL}', revision: HEAD, files: [{path: 'big/*.json'}]}}]`,
        '  template:',
        "    metadata: {name: 'x-{{.path.basename}}'}",
        `    spec: {project: default, source: {repoURL: '${repoURL}', path: manifests, targetRevision: HEAD}, destination: {name: in-cluster, namespace: x}}`,
        '',
      ].join('\n'),
    );
    const k = join(dir, 'apps/kustomization.yaml');
    writeFileSync(k, readFileSync(k, 'utf8').replace('resources:\n', 'resources:\n  - bomb.yaml\n  - gitset.yaml\n'));
    execFileSync('git', ['-C', dir, 'add', '-A']);
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'hostile']);

    // kustomize expands the bomb (it reads apps/ for the root Application): the memory cap stops it.
    const scratch = tempDir();
    const env = { ...process.env, TMPDIR: scratch };
    const v = spawnSync(bin, ['validate', '-C', dir, '-o', 'json'], { encoding: 'utf8', timeout: 60_000, env });
    expect(v.status, v.stderr).toBe(1);
    const messages = (JSON.parse(v.stdout) as { findings: { message: string }[] }).findings.map((f) => f.message).join('\n');
    expect(messages).toMatch(/apps\/bomb\.yaml: .*alias/i);
    expect(messages).toMatch(/big\/x\.json is larger than/);
    if (process.platform === 'linux' && which('prlimit')) expect(messages).toMatch(/needed more than 4096 MiB and was stopped: a YAML alias bomb/);
    expect(readdirSync(scratch)).toEqual([]);
    // Nothing to change, then one cluster's network changed: diff answers both (exit 0, then 1).
    const same = spawnSync(bin, ['diff', '-C', dir, '-o', 'json'], { encoding: 'utf8', timeout: 60_000 });
    expect(same.status, same.stderr).toBe(0);
    const model = join(dir, '..', 'changed.yaml');
    writeFileSync(model, readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('network: network1', 'network: network9'));
    const changed = spawnSync(bin, ['diff', '-C', dir, '-f', model, '-o', 'json'], { encoding: 'utf8', timeout: 60_000 });
    expect(changed.status, changed.stderr).toBe(1);
    expect(changed.stderr).not.toMatch(/internal error/);
  }, 120_000);

  it('the memory cap is 4096 MiB unless CALISTI_GITOPS_BUILD_MEMORY_MB sets it between 1024 MiB and 1 TiB', () => {
    expect(buildMemoryMiB({})).toBe(4096);
    expect(buildMemoryMiB({ CALISTI_GITOPS_BUILD_MEMORY_MB: '8192' })).toBe(8192);
    for (const bad of ['512', 'lots', '', '2048.5', '99999999999999', '1e16']) expect(buildMemoryMiB({ CALISTI_GITOPS_BUILD_MEMORY_MB: bad })).toBe(4096);
  });

  it('an address-space limit the process already has is inherited, not fought with prlimit', () => {
    const limits = (as: string) =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax address space         ${as}            bytes\n`;
    expect(inheritedLimit(limits('unlimited            unlimited'))).toBe(false);
    expect(inheritedLimit(limits('3072000000           3072000000'))).toBe(true);
    expect(inheritedLimit(limits('3072000000           unlimited'))).toBe(true);
    expect(inheritedLimit('Max cpu time              unlimited            unlimited            seconds\n')).toBe(false);
    expect(inheritedLimit(undefined)).toBe(false);
  });

  it("validate under a shell's ulimit -v builds as usual (prlimit could not raise that limit)", async () => {
    const dir = await initRepo();
    const r = spawnSync('bash', ['-c', 'ulimit -v 3000000 && exec "$0" validate -C "$1" -o json', bin, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/prlimit/);
  }, 60_000);

  it.skipIf(process.platform !== 'linux' || !which('prlimit'))(
    'a build the memory cap stops is neither cached nor remembered: a higher cap builds it',
    async () => {
      const dir = await initRepo();
      // Twelve to the fifth aliased nodes: about 1.3 GB for kustomize, stopped at 1024 MiB, built at 4096.
      const levels = Array.from({ length: 5 }, (_, i) => `  a${i + 1}: &a${i + 1} [${Array(12).fill(`*a${i}`).join(', ')}]`);
      writeFileSync(
        join(dir, OVERLAY, 'aliases.yaml'),
        ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: aliases}', 'extra:', '  a0: &a0 [x, x]', ...levels, ''].join('\n'),
      );
      const k = join(dir, OVERLAY, 'kustomization.yaml');
      writeFileSync(k, readFileSync(k, 'utf8').replace('resources:\n', 'resources:\n  - aliases.yaml\n'));
      execFileSync('git', ['-C', dir, 'add', '-A']);
      execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'aliases']);
      const run = (mb: string) => {
        const r = spawnSync(bin, ['validate', '-C', dir, '-o', 'json'], {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, CALISTI_GITOPS_BUILD_MEMORY_MB: mb },
        });
        return JSON.parse(r.stdout) as { findings: { message: string }[]; summary: { reused?: boolean } };
      };
      const stopped = (r: ReturnType<typeof run>) => r.findings.some((f) => /needed more than \d+ MiB and was stopped/.test(f.message));
      const small = run('1024');
      expect(stopped(small)).toBe(true);
      const cache = join(dir, '.git', 'calisti-gitops', 'build-cache');
      const entries = readdirSync(cache).filter((f) => f.endsWith('.json'));
      expect(entries.map((f) => readFileSync(join(cache, f), 'utf8')).join('')).not.toMatch(/MiB and was stopped/);
      // Not remembered: the same run builds again (and is stopped again).
      const again = run('1024');
      expect(again.summary.reused).toBeUndefined();
      expect(stopped(again)).toBe(true);
      expect(stopped(run('4096'))).toBe(false);
    },
    120_000,
  );

  it('a run cut short by a signal leaves no scratch folder and no build running', async () => {
    const dir = await initRepo();
    const scratch = tempDir();
    const child = spawn(bin, ['validate', '-C', dir, '--no-cache', '-q'], { env: { ...process.env, TMPDIR: scratch }, stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Interrupted once its builds are under way: their scratch folder exists.
    for (let i = 0; i < 400 && readdirSync(scratch).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(readdirSync(scratch).length, 'validate made a scratch folder').toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(readdirSync(scratch)).toEqual([]);
    const builds = spawnSync('pgrep', ['-f', scratch], { encoding: 'utf8' });
    expect(builds.stdout.trim(), 'a kustomize process still running').toBe('');
  }, 60_000);

  it('an 11 MB YAML file is refused quickly with a clear finding', async () => {
    const dir = await initRepo();
    const line = '  key: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n';
    writeFileSync(
      join(dir, 'apps/big.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${line.repeat(Math.ceil((11 * 1024 * 1024) / line.length))}`,
    );
    const t0 = Date.now();
    const r = await runValidate({ dir, strict: false, crds: [], cacheDir: null });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.findings.find((f) => f.file === 'apps/big.yaml')?.message).toMatch(/larger than/);
  }, 60_000);
});
