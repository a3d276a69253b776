/** Optional features that cut across clusters, each built with the real kustomize. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKustomize, kustomizeBuild } from '../../src/kustomize/build.js';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { examplesDir } from '../../src/toolkit.js';
import { cli, parseYamlDocs, tempDir } from '../helpers.js';

const tool = findKustomize();
const multi = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8');

function write(model: string): string {
  const dir = tempDir();
  for (const [p, f] of renderRepo(parseFleet(model))) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), f.content);
  }
  return dir;
}

async function build(dir: string, overlay: string) {
  const b = await kustomizeBuild(tool, join(dir, overlay));
  expect(b.ok, b.stderr).toBe(true);
  expect(b.stderr).toBe('');
  return parseYamlDocs(b.yaml);
}

describe('cluster features', () => {
  it('openshift: platform switch, Multus CNI and the demo namespace attachment, on that cluster only', async () => {
    const dir = write(multi.replace('    role: passive\n', '    role: passive\n    platform: openshift\n'));
    const two = await build(dir, 'manifests/smm-controlplane/overlays/workload-cluster-2');
    expect(two.find((o) => o.kind === 'ControlPlane')!.spec.platform).toBe('openshift');
    expect(two.find((o) => o.kind === 'IstioControlPlane')!.spec.proxyInit.cni).toMatchObject({
      enabled: true,
      chained: false,
      confDir: '/etc/cni/multus/net.d',
    });
    expect(two.find((o) => o.kind === 'IstioControlPlane')!.spec.mode).toBe('PASSIVE');
    const one = await build(dir, 'manifests/smm-controlplane/overlays/workload-cluster-1');
    expect(one.find((o) => o.kind === 'ControlPlane')!.spec.platform).toBeUndefined();
    const demo = await build(dir, 'manifests/demo-app/overlays/workload-cluster-2');
    expect(demo.map((o) => o.kind)).toContain('NetworkAttachmentDefinition');
  });

  it("overrides merge into one cluster's ControlPlane and IstioControlPlane", async () => {
    const model = multi.replace(
      '    role: passive\n',
      '    role: passive\n    overrides:\n      controlPlane:\n        smm:\n          prometheus:\n            replicas: 2\n      istioControlPlane:\n        istiod:\n          deployment:\n            replicas:\n              count: 2\n',
    );
    const dir = write(model);
    const two = await build(dir, 'manifests/smm-controlplane/overlays/workload-cluster-2');
    const cp = two.find((o) => o.kind === 'ControlPlane')!;
    expect(cp.spec.smm.prometheus).toEqual({ enabled: true, replicas: 2, retentionTime: '8h' });
    const icp = two.find((o) => o.kind === 'IstioControlPlane')!;
    expect(icp.spec.istiod.deployment.replicas).toEqual({ count: 2 });
    expect(icp.spec.istiod.deployment.image).toMatch(/istio-pilot/);
    const one = await build(dir, 'manifests/smm-controlplane/overlays/workload-cluster-1');
    expect(one.find((o) => o.kind === 'ControlPlane')!.spec.smm.prometheus.replicas).toBe(1);
  });

  it('vendored chart: the operator comes from charts/smm-operator in git, with a warning until it is there', async () => {
    const dir = join(tempDir(), 'repo');
    const model = join(tempDir(), 'calisti.yaml');
    writeFileSync(model, multi.replace('  version: 1.12.0\n', '  version: 1.12.0\n  chart: vendored\n'));
    const r = await cli('init', dir, '-f', model, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings.join('\n')).toMatch(/helm pull oci:\/\/registry\.eticloud\.io\/smm-charts\/smm-operator --version 1\.12\.0/);
    const appSet = parseYamlDocs(readFileSync(join(dir, 'apps/smm-operator/app-set.yaml'), 'utf8'))[0]!;
    expect(appSet.spec.template.spec.sources[0]).toMatchObject({ path: 'charts/smm-operator', repoURL: 'https://github.com/github-id/calisti-gitops.git' });
    expect(readFileSync(join(dir, 'bootstrap/kustomization.yaml'), 'utf8')).not.toContain('chart-repository');
  });

  it('gateways run on the clusters that list them, on the control plane revision', async () => {
    const dir = write(
      readFileSync(join(examplesDir, 'active-active', 'calisti.yaml'), 'utf8').replace(
        'clusters: [workload-cluster-1, workload-cluster-2]',
        'clusters: [workload-cluster-2]',
      ),
    );
    const one = await build(dir, 'manifests/smm-controlplane/overlays/workload-cluster-1');
    expect(one.some((o) => o.kind === 'IstioMeshGateway')).toBe(false);
    const two = await build(dir, 'manifests/smm-controlplane/overlays/workload-cluster-2');
    const imgw = two.find((o) => o.kind === 'IstioMeshGateway')!;
    expect(imgw.spec.istioControlPlane).toEqual({ name: 'cp-v115x', namespace: 'istio-system' });
    expect(imgw.spec.service.ports.map((p: { port: number }) => p.port)).toEqual([15021, 80]);
    const vs = two.find((o) => o.kind === 'VirtualService')!;
    expect(vs.spec.gateways).toEqual(['demo-gw']);
    // Sync order inside the application: namespaces, Istio control plane, ControlPlane, gateways.
    const wave = (kind: string) => Number(two.find((o) => o.kind === kind)!.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('IstioControlPlane')).toBeLessThan(wave('ControlPlane'));
    expect(wave('ControlPlane')).toBeLessThan(wave('IstioMeshGateway'));
    expect(wave('IstioMeshGateway')).toBeLessThan(wave('Gateway'));
  });

  it('renders every release in the version matrix with its own Istio revision', async () => {
    for (const [version, revision] of [
      ['1.9.1', 'cp-v112x'],
      ['1.10.0', 'cp-v113x'],
      ['1.11.0', 'cp-v115x'],
    ]) {
      const dir = write(multi.replace('version: 1.12.0', `version: ${version}`));
      const objs = await build(dir, 'manifests/smm-controlplane/overlays/workload-cluster-1');
      expect(objs.find((o) => o.kind === 'IstioControlPlane')!.metadata.name).toBe(revision);
      expect(objs.find((o) => o.kind === 'ControlPlane')!.spec.smm.istio.revision).toBe(`${revision}.istio-system`);
      const demo = await build(dir, 'manifests/demo-app/overlays/workload-cluster-1');
      expect(demo.find((o) => o.kind === 'Namespace')!.metadata.labels['istio.io/rev']).toBe(`${revision}.istio-system`);
    }
  });
});
