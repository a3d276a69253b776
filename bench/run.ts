/**
 * npm run bench: wall time and peak memory of generate, validate and diff on synthetic fleets, with
 * the baselines measured in the same run. Each measurement runs in its own process so peak RSS is
 * its own. Results: a table on stdout and bench/results.json.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolkitRoot } from '../src/toolkit.js';
import { fleetModel } from './fleet.js';

const SHARED = join(toolkitRoot, '..', 'shared', 'conformance');
const CRDS = existsSync(SHARED) ? [join(SHARED, 'argocd'), join(SHARED, 'istio-operator', 'istio-operator-crds.gen.yaml')] : [];
const self = fileURLToPath(import.meta.url);

interface Measure {
  ms: number;
  rssMb: number;
  detail?: Record<string, unknown>;
}

/** Runs one case in a fresh process. */
function measure(kase: string, args: Record<string, unknown>): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['--case', kase, JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m) => resolve(m as Measure));
    child.on('exit', (code) => code !== 0 && reject(new Error(`${kase} exited ${code}`)));
  });
}

async function worker(kase: string, args: Record<string, any>): Promise<void> {
  const t0 = performance.now();
  let detail: Record<string, unknown> | undefined;
  if (kase === 'generate') {
    const { runGenerate } = await import('../src/repo/generate.js');
    const r = await runGenerate({ dir: args.dir, commit: true, force: false });
    detail = { files: r.created.length + r.updated.length + r.unchanged, changed: r.changed };
  } else if (kase === 'init') {
    const { runInit } = await import('../src/repo/init.js');
    await runInit({ dir: args.dir, modelPath: args.model });
  } else if (kase === 'validate') {
    const { runValidate } = await import('../src/validate/index.js');
    const r = await runValidate({ dir: args.dir, strict: false, crds: CRDS, cacheDir: args.cache ? undefined : null });
    detail = { ...r.summary, schemaFindings: r.findings.filter((f) => f.rule.startsWith('schema/') && f.rule !== 'schema/unknown-kind').map((f) => `${f.cluster}|${f.file}|${f.message}`).sort() };
  } else if (kase === 'baseline-validate') {
    detail = await baselineValidate(args.dir, args.sample);
  } else if (kase === 'diff') {
    const { runDiff } = await import('../src/diff/index.js');
    const r = await runDiff({ dir: args.dir, modelPath: args.model });
    detail = { builds: r.builds, files: r.files.length, clusters: Object.keys(r.clusters) };
  }
  const ms = performance.now() - t0;
  process.send!({ ms, rssMb: Math.round(process.resourceUsage().maxRSS / 1024), detail });
}

/**
 * The baseline: one `kustomize build` per overlay, in a serial loop, each piped through a schema
 * check. With `sample` > 1 only every sample-th cluster's overlays are built (plus cluster-0003,
 * which holds the injected defect) and the time is scaled up by the share built.
 */
async function baselineValidate(dir: string, sample = 1): Promise<Record<string, unknown>> {
  const { findKustomize } = await import('../src/kustomize/build.js');
  const { loadCrds } = await import('../src/validate/index.js');
  const { checkResource } = await import('../src/validate/structural.js');
  const { checkBuiltin, isBuiltin, loadBuiltinModels } = await import('../src/validate/builtin.js');
  const { parseAllDocuments } = await import('yaml');
  const tool = findKustomize();
  // The same CRDs validate uses, parsed without its cache.
  const crds = loadCrds(dir, CRDS, undefined);
  const models = await loadBuiltinModels();
  const findings: string[] = [];
  let builds = 0;
  let total = 0;
  const t0 = performance.now();
  for (const app of readdirSync(join(dir, 'manifests'))) {
    const overlays = join(dir, 'manifests', app, 'overlays');
    if (!existsSync(overlays)) continue;
    const all = readdirSync(overlays).sort();
    total += all.length;
    for (const cluster of all.filter((c, i) => i % sample === 0 || c === 'cluster-0003')) {
      const out = execFileSync(tool.command, tool.args(join(overlays, cluster)), { encoding: 'utf8', maxBuffer: 1 << 28 });
      builds++;
      for (const doc of parseAllDocuments(out)) {
        const o = doc.toJS() as Record<string, any>;
        const schema = crds.get(o.apiVersion, o.kind);
        const problems = schema ? checkResource(o, schema) : isBuiltin(o.apiVersion) ? checkBuiltin(models, o) : undefined;
        for (const p of problems ?? []) findings.push(`${cluster}|${p.path}: ${p.message}`);
      }
    }
  }
  // Scaled to every overlay when only a sample was built.
  return { builds, totalOverlays: total, scaledMs: ((performance.now() - t0) * total) / builds, schemaFindings: findings.sort() };
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
  const rows: Record<string, unknown>[] = [];
  const root = mkdtempSync(join(tmpdir(), 'calisti-bench-'));
  try {
    for (const n of sizes) {
      const dir = join(root, `fleet-${n}`);
      const model = join(root, `fleet-${n}.yaml`);
      writeFileSync(model, fleetModel(n));
      const init = await measure('init', { dir, model });
      const noop = await measure('generate', { dir });
      // One defect on one cluster, so "same findings" compares something.
      const patch = join(dir, 'manifests/smm-controlplane/overlays/cluster-0003/istio-cp-v115x.yaml');
      writeFileSync(patch, `${readFileSync(patch, 'utf8')}  meshId: typo\n`);
      const cold = await measure('validate', { dir, cache: false });
      const warm1 = await measure('validate', { dir, cache: true });
      const warm = await measure('validate', { dir, cache: true });
      // A serial loop over 3,000 overlays takes ten minutes: above 200 clusters, a sample of them.
      const sample = Math.max(1, Math.floor(n / 100));
      const base = await measure('baseline-validate', { dir, sample });
      const baseMs = (base.detail as any).scaledMs as number;
      const sampled = new Set(((base.detail as any).schemaFindings as string[]).map((f) => f.split('|')[0]));
      const ours = ((cold.detail as any).schemaFindings as string[]).filter((f) => sample === 1 || sampled.has(f.split('|')[0]!)).map((f) => f.split('|').pop());
      const theirs = (base.detail as any).schemaFindings.map((f: string) => f.split('|').pop());
      const same = ours.length > 0 && JSON.stringify(ours) === JSON.stringify(theirs);
      // diff after a change to one cluster: only what it touches is rebuilt.
      const changed = join(root, `fleet-${n}-changed.yaml`);
      writeFileSync(changed, readFileSync(model, 'utf8').replace('name: cluster-0002\n    role: active\n    network: net-0', 'name: cluster-0002\n    role: active\n    network: net-x'));
      const diff = await measure('diff', { dir, model: changed });
      const files = execFileSync('git', ['-C', dir, 'ls-files'], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
      void warm1;
      rows.push({
        clusters: n,
        generateMs: Math.round(init.ms),
        generateRssMb: init.rssMb,
        noopGenerateMs: Math.round(noop.ms),
        validateColdMs: Math.round(cold.ms),
        validateRssMb: cold.rssMb,
        validateWarmMs: Math.round(warm.ms),
        baselineMs: Math.round(baseMs),
        baselineSampled: sample > 1,
        kustomizeBuilds: (cold.detail as any).builds,
        baselineBuilds: (base.detail as any).builds,
        speedupCold: +(baseMs / cold.ms).toFixed(2),
        speedupWarm: +(baseMs / warm.ms).toFixed(2),
        schemaFindings: ours.length,
        sameSchemaFindings: same,
        diffOneClusterMs: Math.round(diff.ms),
        diffBuilds: (diff.detail as any).builds,
        diffClusters: ((diff.detail as any).clusters as string[]).join(','),
        repoFiles: files,
        filesPerCluster: +(files / n).toFixed(2),
      });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.table(rows);
  const out = join(toolkitRoot, 'bench', 'results.json');
  writeFileSync(out, `${JSON.stringify({ node: process.version, cores: (await import('node:os')).availableParallelism(), rows }, null, 2)}\n`);
  console.log(`written ${out}`);
}

if (process.argv[2] === '--case') {
  worker(process.argv[3]!, JSON.parse(process.argv[4]!)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
