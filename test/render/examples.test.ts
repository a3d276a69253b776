/**
 * Every example, generated through the CLI into a real git repo, must give a repo Argo CD and
 * Kustomize accept: all overlays build with the real kustomize without warnings, every
 * ApplicationSet expands to Applications valid against Argo CD's CRD with existing source paths, and
 * the Istio resources validate against istio-operator's CRDs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findKustomize, kustomizeBuild } from '../../src/kustomize/build.js';
import { parseFleet } from '../../src/model/load.js';
import { expand } from '../../src/argocd/engine.js';
import { CrdRegistry } from '../../src/validate/crds.js';
import { checkResource } from '../../src/validate/structural.js';
import { git } from '../../src/repo/git.js';
import { cli, conformance, hasConformance, listFiles, NO_CONFORMANCE, parseYamlDocs, tempDir } from '../helpers.js';

const tool = findKustomize();
/** Upstream CRDs; without them (a fresh clone) the schema half of these checks is skipped. */
const crds = hasConformance
  ? new CrdRegistry()
      .addFile(conformance('argocd', 'application-crd.yaml'))
      .addFile(conformance('argocd', 'applicationset-crd.yaml'))
      .addFile(conformance('argocd', 'appproject-crd.yaml'))
      .addFile(conformance('istio-operator', 'istio-operator-crds.gen.yaml'))
  : undefined;

function schemaProblems(obj: Record<string, any>) {
  if (!crds) return [];
  const schema = crds.get(obj.apiVersion, obj.kind);
  if (!schema) throw new Error(`no CRD for ${obj.apiVersion} ${obj.kind}`);
  return checkResource(obj, schema);
}

describe.each(['single-cluster', 'multi-cluster', 'active-active'])('example %s', (example) => {
  let dir: string;
  let files: string[];
  const built = new Map<string, Record<string, any>[]>();

  beforeAll(async () => {
    dir = join(tempDir(), 'repo');
    const r = await cli('init', dir, '--example', example);
    expect(r.code, r.stderr).toBe(0);
    files = listFiles(dir);
    const kdirs = files.filter((f) => f.endsWith('kustomization.yaml')).map((f) => dirname(f));
    for (const d of kdirs) {
      const k = parseYamlDocs(readFileSync(join(dir, d, 'kustomization.yaml'), 'utf8'))[0]!;
      if (k.kind === 'Component') continue;
      const b = await kustomizeBuild(tool, join(dir, d));
      expect(b.ok, `${d}: ${b.stderr}`).toBe(true);
      // No deprecation or any other warning from kustomize.
      expect(b.stderr, d).toBe('');
      built.set(d, parseYamlDocs(b.yaml));
    }
  });

  it('is a git repo with exactly one commit and a clean tree', async () => {
    const log = await git(dir).raw(['log', '--format=%s']);
    expect(log.trim().split('\n')).toEqual(['chore(calisti): initialize calisti-gitops repository']);
    expect((await git(dir).raw(['status', '--porcelain'])).trim()).toBe('');
  });

  it('parses every YAML file', () => {
    for (const f of files.filter((f) => f.endsWith('.yaml'))) expect(() => parseYamlDocs(readFileSync(join(dir, f), 'utf8')), f).not.toThrow();
  });

  it('builds an overlay per cluster and application', () => {
    const fleet = parseFleet(readFileSync(join(dir, 'calisti.yaml'), 'utf8'));
    for (const c of fleet.clusters) {
      expect(built.has(`manifests/smm-controlplane/overlays/${c.name}`)).toBe(true);
      expect(built.has(`manifests/smm-operator/overlays/${c.name}`)).toBe(true);
      const cp = built.get(`manifests/smm-controlplane/overlays/${c.name}`)!.find((o) => o.kind === 'ControlPlane')!;
      expect(cp.spec.clusterName).toBe(c.name);
      expect(cp.spec.role).toBe(c.role);
    }
  });

  it('expands ApplicationSets into valid Applications whose sources exist', () => {
    const fleet = parseFleet(readFileSync(join(dir, 'calisti.yaml'), 'utf8'));
    const clusters = fleet.clusters.map((c) => ({
      name: c.name,
      server: `https://${c.name}.example:6443`,
      labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
      annotations: {},
    }));
    const appSets = built.get('apps')!;
    expect(appSets.length).toBeGreaterThanOrEqual(2);
    const names = new Set<string>();
    for (const appSet of appSets) {
      expect(schemaProblems(appSet), appSet.metadata.name).toEqual([]);
      const { apps: expanded, errors, skipped } = expand(appSet, { clusters });
      const apps = expanded as any[];
      expect([...errors, ...skipped]).toEqual([]);
      expect(apps.length).toBeGreaterThan(0);
      for (const app of apps) {
        expect(schemaProblems(app), app.metadata.name).toEqual([]);
        expect(app.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        expect(names.has(app.metadata.name)).toBe(false);
        names.add(app.metadata.name);
        expect(JSON.stringify(app)).not.toContain('{{');
        for (const src of app.spec.sources ?? [app.spec.source]) {
          if (src.repoURL !== fleet.git.repoURL) {
            expect(src.chart).toBe('smm-operator');
            expect(src.targetRevision).toMatch(/^\d+\.\d+\.\d+$/);
            continue;
          }
          expect(existsSync(join(dir, src.path, 'kustomization.yaml')), src.path).toBe(true);
        }
      }
    }
    const root = built.get('bootstrap')!.find((o) => o.kind === 'Application')!;
    expect(schemaProblems(root)).toEqual([]);
    expect(root.spec.source.path).toBe('apps');
    for (const o of built.get('bootstrap')!.filter((o) => o.kind === 'AppProject')) expect(schemaProblems(o)).toEqual([]);
  });

  it.skipIf(!hasConformance)(
    `renders Istio resources that istio-operator accepts, fields and all${hasConformance ? '' : ` (skipped: ${NO_CONFORMANCE})`}`,
    () => {
      let icps = 0;
      for (const [d, objs] of built) {
        for (const o of objs.filter((o) => o.apiVersion === 'servicemesh.cisco.com/v1alpha1')) {
          expect(schemaProblems(o), `${d} ${o.kind}/${o.metadata.name}`).toEqual([]);
          if (o.kind === 'IstioControlPlane') icps++;
        }
      }
      expect(icps).toBeGreaterThan(0);
    },
  );

  it('never writes a credential: secrets are marked placeholders', () => {
    for (const objs of built.values()) {
      for (const s of objs.filter((o) => o.kind === 'Secret')) {
        expect(s.metadata.annotations?.['calisti-gitops.io/placeholder'], s.metadata.name).toBeTruthy();
        expect(JSON.stringify(s.stringData ?? {})).not.toMatch(/password"\s*:\s*"[^"]/);
      }
    }
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/basicAuth\.(username|password)/);
  });
});
