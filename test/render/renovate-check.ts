/**
 * `npm run check:renovate`: the generated Renovate configuration against the real Renovate 39 (the
 * newest that runs on Node 20), offline. Not part of `npm test` and not a dependency: Renovate is
 * installed once into a cache folder outside the repo.
 *
 * A fresh repo is generated from a vendored-chart model, next to a user's own file and a user's
 * renovate.json that turns the argocd, kubernetes and helm-values managers on for every YAML file
 * (the worst case of issue 10) and extends our preset. Renovate runs in extract mode on the local
 * platform (no lookups, no network). Renovate's own package-rule code then decides, per extracted
 * dependency, what its lookup stage would see. Asserted: no dependency in a file calisti-gitops
 * writes is left enabled; calisti.version is extracted with the right datasource, package and
 * version, stays enabled, is capped to one supported step and runs `upgrade` after the bump; the
 * user's own dependency stays enabled; the user's renovate.json is untouched; both config files pass
 * Renovate's config validator. The generated renovate.json (no user config) is checked the same way.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { examplesDir, toolkitRoot } from '../../src/toolkit.js';
import { RENOVATE_CONFIG, STATE_FILE, VENDORED_CHART_DIR } from '../../src/render/layout.js';
import { RENOVATE_DEP, RENOVATE_PRESET } from '../../src/render/renovate.js';

const RENOVATE = 'renovate@39';
const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'calisti-gitops', 'renovate-39');
const renovateDir = join(cache, 'node_modules', 'renovate');

type Json = Record<string, unknown>;
interface Dep {
  depName?: string;
  packageName?: string;
  datasource?: string;
  currentValue?: string;
  versioning?: string;
  skipReason?: string;
}
interface PackageFile {
  packageFile: string;
  deps: Dep[];
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(cmd, args, { ...opts, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}

async function ensureRenovate(): Promise<string> {
  if (!existsSync(join(renovateDir, 'package.json'))) {
    console.log(`installing ${RENOVATE} into ${cache} (once)`);
    mkdirSync(cache, { recursive: true });
    const r = await run('npm', ['install', '--prefix', cache, '--no-audit', '--no-fund', '--ignore-scripts', RENOVATE]);
    if (r.code !== 0) throw new Error(`npm install ${RENOVATE} failed:\n${r.stderr}`);
  }
  return JSON.parse(readFileSync(join(renovateDir, 'package.json'), 'utf8')).version;
}

const git = (cwd: string, args: string[]) => run('git', ['-c', 'user.name=check', '-c', 'user.email=check@example.org', ...args], { cwd });

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A generated repo: vendored chart (a stand-in with an image in its values), one file of the user's own. */
async function makeRepo(root: string, userConfig: Json | undefined): Promise<string> {
  const model = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8').replace(/^calisti:\n/m, 'calisti:\n  chart: vendored\n');
  const modelFile = join(dirname(root), `${root.split('/').pop()}.yaml`);
  writeFileSync(modelFile, model);
  mkdirSync(root, { recursive: true });
  await git(root, ['init', '-q', '-b', 'main']);
  write(root, `${VENDORED_CHART_DIR}/Chart.yaml`, 'apiVersion: v2\nname: smm-operator\nversion: 1.12.0\n');
  write(root, `${VENDORED_CHART_DIR}/values.yaml`, 'image:\n  repository: registry.eticloud.io/smm/smm-operator\n  tag: v1.12.0\n');
  write(
    root,
    'team/web/deployment.yaml',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25.0\n',
  );
  if (userConfig) write(root, RENOVATE_CONFIG, `${JSON.stringify(userConfig, null, 2)}\n`);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-qm', "the user's files"]);
  const init = await run(join(toolkitRoot, 'bin', 'calisti-gitops'), ['init', root, '-f', modelFile]);
  if (init.code !== 0) throw new Error(`init failed:\n${init.stderr}`);
  return readFileSync(join(root, 'calisti.yaml'), 'utf8').match(/^ {2}version: (\S+)$/m)![1]!;
}

/** Renovate in extract mode; the preset (a `local>` preset the local platform cannot fetch) comes in as global config. */
async function extract(root: string, work: string): Promise<{ packageFiles: Record<string, PackageFile[]>; warnings: string[]; preset: Json }> {
  const preset = JSON.parse(readFileSync(join(root, RENOVATE_PRESET), 'utf8')) as Json;
  const userConfig = JSON.parse(readFileSync(join(root, RENOVATE_CONFIG), 'utf8')) as { extends?: string[] };
  const local = (userConfig.extends ?? []).filter((e) => e.startsWith('local>'));
  const globalFile = join(work, `global-${root.split('/').pop()}.json`);
  const { $schema: _s, description: _d, ...presetBody } = preset;
  writeFileSync(globalFile, JSON.stringify({ ...presetBody, ignorePresets: local }));
  const r = await run(process.execPath, [join(renovateDir, 'dist', 'renovate.js'), '--platform=local', '--dry-run=extract'], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      RENOVATE_CONFIG_FILE: globalFile,
      RENOVATE_BASE_DIR: join(work, 'renovate-base'),
      RENOVATE_PRINT_CONFIG: 'false',
    },
  });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Json & { msg: string; level: number });
  const found = lines.find((l) => l.msg === 'Extracted dependencies');
  if (r.code !== 0 || !found)
    throw new Error(
      `renovate exited ${r.code} without extracting:\n${lines
        .filter((l) => l.level >= 40)
        .map((l) => JSON.stringify(l))
        .join('\n')}\n${r.stderr}`,
    );
  return { packageFiles: found.packageFiles as Record<string, PackageFile[]>, warnings: lines.filter((l) => l.level >= 40).map((l) => l.msg), preset };
}

interface Effective {
  manager: string;
  file: string;
  dep: Dep;
  config: Json;
}

/** What Renovate's lookup stage would see for each dependency: its own package-rule code applied as it does. */
async function effective(packageFiles: Record<string, PackageFile[]>, preset: Json): Promise<Effective[]> {
  const req = createRequire(join(renovateDir, 'package.json'));
  const { applyPackageRules } = req('./dist/util/package-rules/index.js') as { applyPackageRules: (c: Json, stage: string) => Promise<Json> };
  const { mergeChildConfig } = req('./dist/config/utils.js') as { mergeChildConfig: (a: Json, b: Json) => Json };
  const out: Effective[] = [];
  for (const [manager, files] of Object.entries(packageFiles)) {
    for (const pf of files) {
      for (const dep of pf.deps) {
        const base = mergeChildConfig({ packageRules: preset.packageRules, enabled: true }, { manager, packageFile: pf.packageFile });
        out.push({ manager, file: pf.packageFile, dep, config: await applyPackageRules(mergeChildConfig(base, dep as Json), 'pre-lookup') });
      }
    }
  }
  return out;
}

async function validateConfigs(root: string): Promise<string[]> {
  const r = await run(process.execPath, [join(renovateDir, 'dist', 'config-validator.js'), '--strict', RENOVATE_PRESET, RENOVATE_CONFIG], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  return r.code === 0 ? [] : [`renovate-config-validator --strict failed:\n${r.stdout}${r.stderr}`];
}

async function scenario(name: string, work: string, userConfig: Json | undefined): Promise<string[]> {
  const root = join(work, name);
  const version = await makeRepo(root, userConfig);
  const problems: string[] = [];
  if (userConfig && readFileSync(join(root, RENOVATE_CONFIG), 'utf8') !== `${JSON.stringify(userConfig, null, 2)}\n`)
    problems.push("the user's renovate.json was overwritten");
  problems.push(...(await validateConfigs(root)));
  const started = Date.now();
  const { packageFiles, warnings, preset } = await extract(root, work);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const deps = await effective(packageFiles, preset);
  const owned = new Set(Object.keys((JSON.parse(readFileSync(join(root, STATE_FILE), 'utf8')) as { files: Record<string, string> }).files));
  const isOwned = (f: string) => owned.has(f) || f.startsWith(`${VENDORED_CHART_DIR}/`);
  const inOwned = deps.filter((d) => isOwned(d.file));
  const leftOn = inOwned.filter((d) => d.config.enabled !== false);
  for (const d of leftOn) problems.push(`${d.manager} ${d.file}: ${d.dep.depName} ${d.dep.currentValue} is left enabled`);
  const calisti = deps.filter((d) => d.file === 'calisti.yaml');
  const c = calisti[0];
  const chart = /packageName=(\S+)/.exec(readFileSync(join(root, 'calisti.yaml'), 'utf8'))?.[1];
  if (calisti.length !== 1 || !c) problems.push(`calisti.yaml: ${calisti.length} dependencies extracted, expected 1`);
  else {
    const want = { depName: RENOVATE_DEP, datasource: 'docker', packageName: chart, currentValue: version, versioning: 'semver' };
    for (const [k, v] of Object.entries(want))
      if ((c.dep as Record<string, unknown>)[k] !== v) problems.push(`calisti.yaml: ${k} is ${(c.dep as Record<string, unknown>)[k]}, expected ${v}`);
    if (c.config.enabled === false) problems.push('calisti.yaml: calisti.version is disabled');
    const [major, minor] = version.split('.').map(Number) as [number, number];
    if (c.config.allowedVersions !== `<${major}.${minor + 2}.0`) problems.push(`calisti.yaml: allowedVersions ${c.config.allowedVersions}`);
    const tasks = c.config.postUpgradeTasks as { commands?: string[] } | undefined;
    if (!tasks?.commands?.some((t) => /calisti-gitops@\S+ upgrade --to \{\{\{newVersion\}\}\} --no-commit$/.test(t)))
      problems.push(`calisti.yaml: postUpgradeTasks ${JSON.stringify(tasks)}`);
  }
  const user = deps.filter((d) => d.file.startsWith('team/'));
  if (userConfig && (user.length === 0 || user.some((d) => d.config.enabled === false)))
    problems.push("the user's own dependency (team/web) is not extracted and enabled");
  const byManager = Object.fromEntries(Object.entries(packageFiles).map(([m, f]) => [m, f.reduce((n, p) => n + p.deps.length, 0)]));
  console.log(
    JSON.stringify({
      scenario: name,
      seconds: Number(seconds),
      extractedByManager: byManager,
      toolOwnedFiles: new Set(inOwned.map((d) => d.file)).size,
      toolOwnedDeps: inOwned.length,
      toolOwnedLeftEnabled: leftOn.length,
      calisti: c ? { ...c.dep, allowedVersions: c.config.allowedVersions, enabled: c.config.enabled !== false } : null,
      userDeps: user.map((d) => `${d.dep.depName}:${d.dep.currentValue} enabled=${d.config.enabled !== false}`),
      renovateWarnings: warnings,
    }),
  );
  return problems.map((p) => `${name}: ${p}`);
}

async function main(): Promise<void> {
  const version = await ensureRenovate();
  console.log(`renovate ${version}, node ${process.version}`);
  const work = mkdtempSync(join(tmpdir(), 'calisti-renovate-'));
  try {
    // Every manager that could see a version in the repo, on every YAML file.
    const everything = {
      $schema: 'https://docs.renovatebot.com/renovate-schema.json',
      extends: ['config:recommended', 'local>github-id/calisti-gitops//.calisti-gitops/renovate.json'],
      argocd: { fileMatch: ['\\.ya?ml$'] },
      kubernetes: { fileMatch: ['\\.ya?ml$'] },
      'helm-values': { fileMatch: ['\\.ya?ml$'] },
    };
    const problems = [...(await scenario('user-config-every-manager', work, everything)), ...(await scenario('generated-config', work, undefined))];
    if (problems.length) {
      console.error(problems.join('\n'));
      process.exitCode = 1;
    } else console.log('ok: nothing calisti-gitops writes is left to Renovate; calisti.version is proposed one supported step at a time');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
