/**
 * diff builds only the clusters a change touches, the proposed side in a scratch folder holding what
 * those builds read. Checked against the full path it replaced, kept here only: the whole repo copied,
 * the real `generate` run in the copy, every Application of both sides built. The outputs (text,
 * markdown with the fleet pictures, JSON) must be the same bytes, whatever the change.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fleetModel } from '../../bench/fleet.js';
import { runDiff, type DiffReport } from '../../src/diff/index.js';
import { diffMarkdown, diffText } from '../../src/diff/report.js';
import { diffClusters } from '../../src/diff/resources.js';
import { fleetGraph } from '../../src/graph/model.js';
import { findKustomize, which } from '../../src/kustomize/build.js';
import { loadFleet, parseFleet } from '../../src/model/load.js';
import type { Fleet } from '../../src/model/schema.js';
import { BOOTSTRAP_DIR } from '../../src/render/layout.js';
import { deployments, engineContext, expandApplications } from '../../src/validate/deploy.js';
import { meta } from '../../src/validate/objects.js';
import { clusterInfo, reachableArgoObjects, sourceRootOf } from '../../src/validate/sources.js';
import { cli, tempDir } from '../helpers.js';

const CLUSTERS = 6;
const model = fleetModel(CLUSTERS);
const network = (m: string) =>
  m.replace('name: cluster-0002\n    role: active\n    network: net-0', 'name: cluster-0002\n    role: active\n    network: net-x');
const overlay = (app: string, cluster: string) => `manifests/${app}/overlays/${cluster}`;

/** What each case changes: the model given to diff, and hand edits in the working tree. */
const CASES: Record<string, { model: string; from?: string; edit?: (dir: string) => void }> = {
  'one cluster changes': { model: network(model) },
  'a cluster is added': { model: fleetModel(CLUSTERS + 1) },
  'a cluster is removed': { model: fleetModel(CLUSTERS - 1) },
  'a shared gateway changes (every active overlay reads it)': { model: model.replace('port: 80\n', 'port: 81\n') },
  'the release changes (every base and overlay)': { from: fleetModel(CLUSTERS, '1.11.0'), model },
  'hand edits: a file only the working tree has, a merged edit': {
    model: network(model),
    edit: (dir) => {
      const k = join(dir, overlay('smm-controlplane', 'cluster-0002'), 'kustomization.yaml');
      writeFileSync(k, readFileSync(k, 'utf8').replace('resources:\n', 'resources:\n  - extra.yaml\n'));
      writeFileSync(
        join(dir, overlay('smm-controlplane', 'cluster-0002'), 'extra.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: istio-system\n',
      );
      appendFileSync(join(dir, overlay('smm-controlplane', 'cluster-0002'), 'istio-cp-v115x.yaml'), '  handField: x\n');
    },
  },
  'an overlay folder that also holds a chart (Argo CD renders the chart; the inputs of its kustomization do not count)': {
    model: model.replace('port: 80\n', 'port: 81\n'),
    edit: (dir) => writeFileSync(join(dir, overlay('smm-controlplane', 'cluster-0003'), 'Chart.yaml'), 'apiVersion: v2\nname: hand\nversion: 0.1.0\n'),
  },
  'a hand-written kustomization outside the generated folders, read by an overlay': {
    model: model.replace('port: 80\n', 'port: 81\n'),
    edit: (dir) => {
      const k = join(dir, overlay('demo-app', 'cluster-0003'), 'kustomization.yaml');
      writeFileSync(k, readFileSync(k, 'utf8').replace('resources:\n', 'resources:\n  - ../../../../extra\n'));
      mkdirSync(join(dir, 'extra'));
      writeFileSync(join(dir, 'extra', 'kustomization.yaml'), 'resources:\n  - cm.yaml\n');
      writeFileSync(join(dir, 'extra', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: smm-demo\n');
    },
  },
};

/** Every Application of a tree built, as diff did before it built only touched clusters. */
async function fullBuild(root: string, fleet: Fleet) {
  const argo = reachableArgoObjects(root, BOOTSTRAP_DIR, fleet, []);
  const apps = expandApplications(argo, engineContext(root, argo, fleet), []);
  const clusters = fleet.clusters.map(clusterInfo);
  const d = await deployments({ root: sourceRootOf(root, fleet), apps, clusters, fleet, tool: findKustomize(), cacheDir: undefined });
  return { views: d.views, builds: d.builds, apps: new Set(apps.map((a) => String(meta(a.obj).name ?? ''))), graph: fleetGraph(clusters, d.views) };
}

const json = (r: DiffReport) => JSON.stringify({ ...r, builds: undefined, graphs: undefined }, null, 2);

/** A repo generated from a model, made once per model. */
const repos = new Map<string, string>();
async function generated(m: string): Promise<string> {
  if (!repos.has(m)) {
    const dir = join(tempDir(), 'base');
    const file = join(tempDir(), 'fleet.yaml');
    writeFileSync(file, m);
    const r = await cli('init', dir, '-f', file);
    expect(r.code, r.stderr).toBe(0);
    repos.set(m, dir);
  }
  return repos.get(m)!;
}

let base: string;
beforeAll(async () => {
  base = await generated(model);
}, 120_000);

describe('diff of the touched clusters against the full build', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const work = tempDir();
      const dir = join(work, 'repo');
      cpSync(await generated(c.from ?? model), dir, { recursive: true });
      c.edit?.(dir);
      const modelPath = join(work, 'proposed.yaml');
      writeFileSync(modelPath, c.model);
      const report = await runDiff({ dir, modelPath, cacheDir: null });

      // The old path: the repo copied whole, generate run there, everything built on both sides.
      const copy = join(work, 'copy');
      cpSync(dir, copy, { recursive: true });
      const g = await cli('generate', '-C', copy, '-f', modelPath, '--no-commit', '--allow-destructive');
      expect(g.code, g.stderr).toBe(0);
      const a = await fullBuild(dir, loadFleet(join(dir, 'calisti.yaml')));
      const b = await fullBuild(copy, parseFleet(c.model));
      const expected: DiffReport = {
        ...report,
        clusters: diffClusters(a.views, b.views),
        applications: { added: [...b.apps].filter((n) => !a.apps.has(n)).sort(), removed: [...a.apps].filter((n) => !b.apps.has(n)).sort() },
        graphs: { before: a.graph, after: b.graph },
      };
      expect(Object.keys(report.clusters).length, 'the case changes what some cluster receives').toBeGreaterThan(0);
      expect(json(report)).toBe(json(expected));
      expect(diffText(report)).toBe(diffText(expected));
      expect(diffMarkdown(report)).toBe(diffMarkdown(expected));
      // Never more builds than the full path, and a one-cluster change builds that cluster only.
      expect(report.builds).toBeLessThanOrEqual(a.builds + b.builds);
      if (name === 'one cluster changes') expect(report.builds).toBeLessThanOrEqual(6);
    }, 120_000);
  }
});

describe('the scratch folder', () => {
  const tmp = process.env.TMPDIR;
  const path = process.env.PATH;
  afterEach(() => {
    // An unset variable stays unset: assigning undefined would set the text "undefined".
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
    process.env.PATH = path;
  });
  /** A copy of the generated repo, in a folder of its own. */
  const copyRepo = () => {
    const work = tempDir();
    const dir = join(work, 'repo');
    cpSync(base, dir, { recursive: true });
    return { work, dir };
  };
  /** An empty TMPDIR of its own, where the run's scratch folders go. */
  const privateTmp = (work: string) => {
    const scratch = mkdtempSync(join(work, 'tmp-'));
    process.env.TMPDIR = scratch;
    return scratch;
  };

  it('is removed after the run, and after a run that fails half-way', async () => {
    const { work, dir } = copyRepo();
    const modelPath = join(work, 'proposed.yaml');
    writeFileSync(modelPath, network(model));
    const scratch = privateTmp(work);
    await runDiff({ dir, modelPath, cacheDir: null });
    expect(readdirSync(scratch)).toEqual([]);
    // git but no kustomize: the run fails after the scratch folder was made.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    symlinkSync(which('git')!, join(bin, 'git'));
    process.env.PATH = bin;
    await expect(runDiff({ dir, modelPath, cacheDir: null })).rejects.toThrow(/neither kustomize nor kubectl/);
    expect(readdirSync(scratch)).toEqual([]);
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  it('is removed when the builds started early turn out not to be needed (the model is generated, not committed)', async () => {
    const { work, dir } = copyRepo();
    const committed = readFileSync(join(dir, 'calisti.yaml'), 'utf8');
    expect(network(committed)).not.toBe(committed);
    writeFileSync(join(dir, 'calisti.yaml'), network(committed));
    const g = await cli('generate', '-C', dir, '--no-commit');
    expect(g.code, g.stderr).toBe(0);
    const scratch = privateTmp(work);
    // The committed model differs from the working copy in one cluster's network: its builds start,
    // then the render writes nothing and they are stopped.
    const report = await runDiff({ dir, cacheDir: null });
    expect(report.changed).toBe(false);
    expect(readdirSync(scratch)).toEqual([]);
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  it('is removed when the render fails while the current side is building (the builds are waited for)', async () => {
    const { work, dir } = copyRepo();
    const modelPath = join(work, 'proposed.yaml');
    // A changed network: the cluster's current builds start before the render, which then fails.
    writeFileSync(modelPath, network(model));
    writeFileSync(join(dir, 'sealed-secrets.yaml'), 'entries: 3\n');
    const scratch = privateTmp(work);
    await expect(runDiff({ dir, modelPath, cacheDir: null })).rejects.toThrow(/sealed-secrets\.yaml/);
    expect(readdirSync(scratch)).toEqual([]);
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);
});
