/**
 * npm run stress: concurrent writers, kills and full disks against real repos, bounded in rounds
 * and time. Prints runs, kills, rounds, entries lost and repos damaged; the last two must be 0.
 *
 *   STRESS_ROUNDS=5 npm run stress          (STRESS_NO_MOUNT=1: the ENOSPC preload even as root)
 *
 * A repo counts as damaged when, after every writer has finished (and, after a kill or a full disk,
 * one more plain `generate` has run), git's object store is not whole, a temp file or the journal
 * is left behind, the tree differs from HEAD, or HEAD's model does not generate HEAD's files.
 * Full disks use a small tmpfs when this machine lets us mount one (root), else a preload that
 * makes the Nth write fail with ENOSPC.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './proc.js';

const rounds = Number(process.env.STRESS_ROUNDS ?? 3);
const root = mkdtempSync(join(tmpdir(), 'calisti-stress-'));
const ENOSPC_SHIM = fileURLToPath(new URL('./enospc.js', import.meta.url));
const figures = { runs: 0, kills: 0, rounds: 0, entriesLost: 0, reposDamaged: 0, diskFullLevels: 0, stackTraces: 0 };
const creds = { CALISTI_USERNAME: 'stress-user', CALISTI_PASSWORD: 'stress-Pa55-word', CALISTI_GITOPS_LOCK_WAIT_MS: '180000' };

interface Result {
  code: number | null;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}, node: string[] = []): Promise<Result> {
  figures.runs++;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...node, BIN, ...args], { env: { ...process.env, ...creds, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => {
      if (/internal error|\n\s+at /.test(stderr)) figures.stackTraces++;
      resolve({ code, stderr });
    });
  });
}

const git = (dir: string, ...args: string[]) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    if (e.isDirectory()) walk(join(dir, e.name), out);
    else out.push(join(dir, e.name));
  }
  return out;
}

/** Whole, or damaged (with the reason). Runs one plain generate first, as a user would. */
async function check(dir: string): Promise<string | undefined> {
  const g = await run(['generate', '-C', dir, '-q']);
  if (g.code !== 0) return `generate after the run failed: ${g.stderr.trim().split('\n')[0]}`;
  if (git(dir, 'fsck', '--no-progress').status !== 0) return 'git fsck failed';
  if (walk(dir).some((f) => f.includes('.calisti-tmp-'))) return 'a temp file was left behind';
  if (existsSync(join(dir, '.git', 'calisti-gitops', 'journal.json'))) return 'the journal was left behind';
  const status = git(dir, 'status', '--porcelain').stdout.trim();
  if (status) return `the tree differs from HEAD: ${status.split('\n').slice(0, 3).join('; ')}`;
  const again = await run(['generate', '-C', dir, '--no-commit', '-q']);
  if (again.code !== 0 || git(dir, 'status', '--porcelain').stdout.trim()) return "HEAD's model does not generate HEAD's files";
  return undefined;
}

function cert(): string {
  const dir = join(root, 'cert');
  mkdirSync(dir, { recursive: true });
  spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=sealed-secret',
    ],
    { stdio: 'ignore' },
  );
  return join(dir, 'cert.pem');
}

async function fresh(name: string, version = '1.12.0'): Promise<string> {
  const dir = join(root, name);
  const model = join(root, `${name}.yaml`);
  writeFileSync(
    model,
    readFileSync(join(BIN, '..', '..', 'examples', 'multi-cluster', 'calisti.yaml'), 'utf8').replace('version: 1.12.0', `version: ${version}`),
  );
  const r = await run(['init', dir, '-f', model]);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return dir;
}

async function damaged(dir: string, what: string): Promise<void> {
  const why = await check(dir);
  if (why) {
    figures.reposDamaged++;
    console.log(`  DAMAGED (${what}): ${why}`);
  }
}

/** Five writers at once: three seals, an upgrade, a generate. Every sealed entry must land. */
async function concurrent(round: number, certFile: string): Promise<void> {
  const dir = await fresh(`concurrent-${round}`, '1.11.0');
  const writers = [
    run(['seal', '--cert', certFile, '--cluster', 'workload-cluster-1', '--target', 'registry', '-C', dir]),
    run(['seal', '--cert', certFile, '--cluster', 'workload-cluster-2', '--target', 'registry', '-C', dir]),
    run(['seal', '--cert', certFile, '--target', 'chart-repository', '-C', dir]),
    run(['upgrade', '--to', '1.12.0', '-C', dir]),
    run(['generate', '-C', dir]),
  ];
  const results = await Promise.all(writers);
  results.forEach((r, i) => r.code !== 0 && console.log(`  writer ${i} exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`));
  const sealed = git(dir, 'show', 'HEAD:sealed-secrets.yaml').stdout;
  const entries = (sealed.match(/^ {2}- cluster:/gm) ?? []).length;
  figures.entriesLost += Math.max(0, 3 - entries);
  await damaged(dir, `concurrent round ${round}`);
}

/** A kill while a slow commit hook runs, or after a random write step; the next run finishes or undoes it. */
async function kills(round: number): Promise<void> {
  const dir = await fresh(`kill-${round}`);
  writeFileSync(join(dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nsleep 2\n', { mode: 0o755 });
  for (const [i, net] of ['network1', 'net-a', 'net-b'].entries()) {
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace(/network: \S+/, `network: ${net}`));
    const child = spawn(process.execPath, [BIN, 'generate', '-C', dir], {
      env: { ...process.env, ...(i === 2 ? { CALISTI_GITOPS_KILL_AFTER_STEPS: String(1 + ((round * 7) % 9)) } : {}) },
      stdio: 'ignore',
    });
    figures.runs++;
    if (i < 2) setTimeout(() => child.kill('SIGKILL'), 300 + ((round * 911 + i * 577) % 2200));
    await new Promise((r) => child.on('exit', r));
    figures.kills++;
  }
  rmSync(join(dir, '.git', 'hooks', 'pre-commit'));
  await damaged(dir, `kill round ${round}`);
}

/** Disk full at a given free-space level: a clean failure, and the next run (with room) makes it whole. */
async function diskFull(level: number, viaMount: boolean): Promise<void> {
  figures.diskFullLevels++;
  const base = await fresh(`disk-${level}`);
  const mnt = join(root, `mnt-${level}`);
  mkdirSync(mnt);
  let dir = base;
  let env: NodeJS.ProcessEnv = {};
  let node: string[] = [];
  if (viaMount) {
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]);
    cpSync(base, join(mnt, 'repo'), { recursive: true });
    dir = join(mnt, 'repo');
    // Leave `level` bytes free.
    const free = Number(spawnSync('df', ['-B1', '--output=avail', mnt], { encoding: 'utf8' }).stdout.trim().split('\n').pop());
    spawnSync('fallocate', ['-l', String(Math.max(0, free - level)), join(mnt, 'filler')]);
  } else {
    env = { CALISTI_STRESS_ENOSPC_AFTER: String(1 + (level % 40)) };
    node = ['--import', ENOSPC_SHIM];
  }
  writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('targetRevision: HEAD', `targetRevision: release-${level}`));
  const r = await run(['generate', '-C', dir], env, node);
  if (r.code !== 0 && r.code !== 1) console.log(`  disk full at ${level}: exit ${r.code}: ${r.stderr.trim().split('\n')[0]}`);
  if (viaMount) rmSync(join(mnt, 'filler'), { force: true });
  await damaged(dir, `disk full at ${level} bytes free`);
  if (viaMount) spawnSync('umount', [mnt]);
}

async function main(): Promise<void> {
  const canMount =
    process.env.STRESS_NO_MOUNT !== '1' &&
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', (mkdirSync(join(root, 'probe')), join(root, 'probe'))]).status === 0;
  if (canMount) spawnSync('umount', [join(root, 'probe')]);
  const certFile = cert();
  const deadline = Date.now() + Number(process.env.STRESS_SECONDS ?? 900) * 1000;
  try {
    for (let round = 1; round <= rounds && Date.now() < deadline; round++) {
      figures.rounds++;
      console.log(`round ${round}`);
      await concurrent(round, certFile);
      await kills(round);
    }
    const levels = [0, 512, 4096, 16_384, 32_768, 65_536, 131_072, 262_144, 524_288, 1_048_576, 2_097_152, 4_194_304];
    console.log(`disk full (${canMount ? 'tmpfs' : 'ENOSPC preload'}) at ${levels.length} free-space levels`);
    for (const level of levels) if (Date.now() < deadline) await diskFull(level, canMount);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(JSON.stringify(figures));
  if (figures.entriesLost || figures.reposDamaged || figures.stackTraces) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
