/**
 * npm run bench: what users wait for, as whole CLI processes, against the floors and baselines
 * measured in the same run. Every figure is the median of several interleaved runs with min-max.
 *
 *   BENCH_SIZES=10,100,1000,5000,10000 BENCH_ROUNDS=5 npm run bench
 *
 * Baselines: a serial loop of one `kustomize build` per overlay, and the same loop run by
 * `xargs -P<cores>`. Floors: read + parse every YAML file once; copy the generated files into a new
 * repo + `git add -A` + commit (on the temp folder's disk, and in /dev/shm where there is one); one
 * `kustomize build`. Results: a table and bench/results.json (BENCH_OUT: elsewhere).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findKustomize } from '../src/kustomize/build.js';
import { toolkitRoot } from '../src/toolkit.js';
import { fleetModel } from './fleet.js';
import { fmt, interleave, runOnce, type Run, type Stat } from './proc.js';

const cores = availableParallelism();
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const kustomize = findKustomize();
const floorParse = fileURLToPath(new URL('./floor-parse.js', import.meta.url));

const cli =
  (...args: string[]) =>
  () =>
    runOnce({ file: '', args }, { cli: true });
const cmd =
  (file: string, ...args: string[]) =>
  () =>
    runOnce({ file, args });
/** Several processes in a row, timed as one. */
const seq =
  (...steps: (() => Run)[]) =>
  (): Run => {
    let ms = 0;
    let status: number | null = 0;
    for (const s of steps) {
      const r = s();
      ms += r.ms;
      if (r.status !== 0) status = r.status;
    }
    return { ms, status, stdout: '' };
  };

/** A folder in memory (Linux's /dev/shm), or undefined where there is none to write. */
function inMemoryRoot(): string | undefined {
  try {
    return mkdtempSync('/dev/shm/calisti-bench-');
  } catch {
    return undefined;
  }
}

function must(r: Run, what: string): Run {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}`);
  return r;
}

function overlays(dir: string): string[] {
  const out: string[] = [];
  for (const app of readdirSync(join(dir, 'manifests'))) {
    const o = join(dir, 'manifests', app, 'overlays');
    if (existsSync(o)) for (const c of readdirSync(o).sort()) out.push(join(o, c));
  }
  return out;
}

/** Baseline loops over a sample of overlays (every k-th), scaled up to all of them. */
function loops(dir: string, maxBuilds: number): { serial: () => Run; parallel: () => Run; scale: number } {
  const all = overlays(dir);
  const k = Math.max(1, Math.ceil(all.length / maxBuilds));
  const sample = all.filter((_, i) => i % k === 0);
  const scale = all.length / sample.length;
  const scaled = (r: Run): Run => ({ ...r, ms: r.ms * scale });
  const build = (o: string) => runOnce({ file: kustomize.command, args: kustomize.args(o) });
  return {
    scale,
    serial: () => scaled(seq(...sample.map((o) => () => build(o)))()),
    parallel: () =>
      scaled(
        runOnce({
          file: 'xargs',
          args: ['-P', String(cores), '-n', '1', kustomize.command, ...kustomize.args('').filter((a) => a !== '')],
          input: sample.join('\n'),
        }),
      ),
  };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'calisti-bench-'));
  const memRoot = inMemoryRoot();
  const rows: Record<string, unknown>[] = [];
  const startup: Record<string, Stat> = {};
  try {
    // Start-up and the smallest useful validate: the docs' 2-cluster fleet.
    const two = join(root, 'two');
    must(runOnce({ file: '', args: ['init', two, '--example', 'multi-cluster'] }, { cli: true }), 'init of the 2-cluster example');
    Object.assign(
      startup,
      interleave(
        {
          node: { run: cmd(process.execPath, '-e', '0') },
          version: { run: cli('--version') },
          validateWarm2: { run: cli('validate', '-C', two, '-q', '-o', 'json') },
        },
        rounds,
      ),
    );
    console.log(`start-up: node ${fmt(startup.node)}; --version ${fmt(startup.version)}; warm validate, 2 clusters ${fmt(startup.validateWarm2)}`);

    for (const n of sizes) {
      const big = n >= 5000;
      const r = big ? Math.max(1, Math.min(rounds, 2)) : rounds;
      const model = join(root, `fleet-${n}.yaml`);
      writeFileSync(model, fleetModel(n));
      const dir = join(root, `fleet-${n}`);
      const target = join(root, `init-${n}`);
      const copyFloor = join(root, `copy-${n}`);
      const gitEnv = { GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };
      const git =
        (cwd: string, ...args: string[]) =>
        () =>
          runOnce({ file: 'git', args: ['-C', cwd, ...args], env: gitEnv });
      // The repo the later cases use, made once, untimed.
      must(runOnce({ file: '', args: ['init', dir, '-f', model] }, { cli: true }), `init of ${n} clusters`);
      const copyAddCommit = (to: string) => ({
        prepare: () => rmSync(to, { recursive: true, force: true }),
        run: seq(
          () => {
            const t0 = process.hrtime.bigint();
            cpSync(dir, to, { recursive: true, filter: (s) => !s.includes('/.git') });
            return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: 0, stdout: '' };
          },
          git(to, 'init', '-q'),
          git(to, 'add', '-A'),
          git(to, 'commit', '-qm', 'floor'),
        ),
      });
      // The same two in memory too, where the machine has it: what the code costs, without the disk.
      const inMemory = memRoot ? { target: join(memRoot, `init-${n}`), copyFloor: join(memRoot, `copy-${n}`) } : undefined;
      const first = interleave(
        {
          generate: { prepare: () => rmSync(target, { recursive: true, force: true }), run: cli('init', target, '-f', model) },
          copyAddCommit: copyAddCommit(copyFloor),
          ...(inMemory && {
            generateInMemory: { prepare: () => rmSync(inMemory.target, { recursive: true, force: true }), run: cli('init', inMemory.target, '-f', model) },
            copyAddCommitInMemory: copyAddCommit(inMemory.copyFloor),
          }),
        },
        r,
      );
      for (const d of [target, copyFloor, ...(inMemory ? [inMemory.target, inMemory.copyFloor] : [])]) rmSync(d, { recursive: true, force: true });

      const cache = join(dir, '.git', 'calisti-gitops', 'build-cache');
      const baseline = loops(dir, big ? 100 : n >= 1000 ? 300 : 10_000);
      const oneOverlay = overlays(dir)[0]!;
      const changed = join(root, `fleet-${n}-changed.yaml`);
      writeFileSync(
        changed,
        readFileSync(model, 'utf8').replace(
          'name: cluster-0002\n    role: active\n    network: net-0',
          'name: cluster-0002\n    role: active\n    network: net-x',
        ),
      );
      const generateOnce = () => runOnce({ file: '', args: ['generate', '-C', dir, '-q'] }, { cli: true });
      const diffOnce = () => {
        const r = runOnce({ file: '', args: ['diff', '-C', dir, '-f', changed, '-o', 'json'] }, { cli: true });
        return { ...r, status: r.status === 1 ? 0 : r.status };
      };
      const warmUp = () => {
        const r = runOnce({ file: '', args: ['validate', '-C', dir, '-q', '-o', 'json'] }, { cli: true });
        return { ...r, status: r.status === 1 ? 0 : r.status };
      };
      const rest = interleave(
        {
          // A no-op right after another (remembered: see src/repo/noop.ts), and one that compares every
          // file because nothing is remembered (the first no-op after a change).
          noopGenerate: {
            prepare: () => {
              rmSync(join(dir, 'NOTES.md'), { force: true });
              must(generateOnce(), 'generate');
            },
            run: cli('generate', '-C', dir, '-q'),
          },
          noopGenerateFull: {
            prepare: () => rmSync(join(dir, '.git', 'calisti-gitops', 'last-noop.json'), { force: true }),
            run: cli('generate', '-C', dir, '-q'),
          },
          parseFloor: { run: cmd(process.execPath, floorParse, dir) },
          validateCold: { prepare: () => rmSync(cache, { recursive: true, force: true }), run: cli('validate', '-C', dir, '-q', '-o', 'json', '--no-cache') },
          // Warm: a run before it filled the caches (the cold case above empties them). Nothing changed
          // since: the last report stands. One untracked file changed: every build comes from the cache.
          validateWarm: { prepare: () => must(warmUp(), 'validate'), run: cli('validate', '-C', dir, '-q', '-o', 'json') },
          validateWarmEdit: {
            prepare: () => {
              must(warmUp(), 'validate');
              writeFileSync(join(dir, 'NOTES.md'), `edit ${Math.random()}\n`);
            },
            run: cli('validate', '-C', dir, '-q', '-o', 'json'),
          },
          serialLoop: { run: baseline.serial },
          parallelLoop: { run: baseline.parallel },
          oneBuild: { run: cmd(kustomize.command, ...kustomize.args(oneOverlay)) },
          // A pull request's diff where the same diff ran before (its builds and models remembered),
          // and in a fresh clone: nothing in .git/calisti-gitops, as a CI job's checkout has it.
          diffOneCluster: { prepare: () => must(diffOnce(), 'diff'), run: cli('diff', '-C', dir, '-f', changed, '-o', 'json') },
          diffOneClusterFresh: {
            prepare: () => rmSync(join(dir, '.git', 'calisti-gitops'), { recursive: true, force: true }),
            run: cli('diff', '-C', dir, '-f', changed, '-o', 'json'),
          },
        },
        big ? 1 : r,
      );
      const cold = runOnce({ file: '', args: ['validate', '-C', dir, '-q', '-o', 'json', '--no-cache'] }, { cli: true });
      const warm = runOnce({ file: '', args: ['validate', '-C', dir, '-q', '-o', 'json'] }, { cli: true });
      const findings = (out: string) => JSON.stringify((JSON.parse(out) as { findings: unknown[] }).findings);
      const s = { ...first, ...rest };
      const ratio = (a: string, b: string) => +(s[a]!.median / s[b]!.median).toFixed(1);
      rows.push({
        clusters: n,
        files: Number(runOnce({ file: 'git', args: ['-C', dir, 'ls-files', '-z'] }).stdout.split('\0').length - 1),
        ...Object.fromEntries(Object.entries(s).map(([k, v]) => [k, fmt(v)])),
        baselineSampled: baseline.scale > 1 ? `x${baseline.scale.toFixed(1)}` : 'no',
        coldVsSerial: ratio('serialLoop', 'validateCold'),
        coldVsParallel: ratio('parallelLoop', 'validateCold'),
        warmVsParallel: ratio('parallelLoop', 'validateWarm'),
        warmEditVsParallel: ratio('parallelLoop', 'validateWarmEdit'),
        generateVsCopyFloor: ratio('generate', 'copyAddCommit'),
        ...(s.generateInMemory && { generateInMemoryVsCopyFloor: ratio('generateInMemory', 'copyAddCommitInMemory') }),
        sameFindingsColdWarm: findings(cold.stdout) === findings(warm.stdout),
        stats: s,
      });
      console.log(
        `${n} clusters:`,
        Object.entries(s)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join('; '),
      );
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    if (memRoot) rmSync(memRoot, { recursive: true, force: true });
  }
  console.table(rows.map(({ stats, ...row }) => row));
  const out = process.env.BENCH_OUT ?? join(toolkitRoot, 'bench', 'results.json');
  writeFileSync(out, `${JSON.stringify({ node: process.version, cores, rounds, startup, rows }, null, 2)}\n`);
  console.log(`written ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
