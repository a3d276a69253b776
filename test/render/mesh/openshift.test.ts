/**
 * OpenShift (docs 2.3.8): every namespace with sidecars on an OpenShift cluster gets the istio-cni
 * NetworkAttachmentDefinition and the nonroot-v2 SCC binding; other clusters get neither.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKustomize, kustomizeBuild } from '../../../src/kustomize/build.js';
import { parseFleet } from '../../../src/model/load.js';
import { renderRepo } from '../../../src/render/index.js';
import { parseYamlDocs, tempDir } from '../../helpers.js';

const tool = findKustomize();
const model = `apiVersion: calisti-gitops.io/v1alpha1
kind: Fleet
calisti:
  version: 1.12.0
git:
  repoURL: https://example.org/fleet.git
clusters:
  - name: ocp
    platform: openshift
  - name: k8s
    role: passive
namespaces:
  - name: team-a
  - name: team-b
    clusters: [k8s]
gateways:
  - {name: edge, namespace: edge, clusters: [ocp, k8s], ports: [{name: http, port: 8080}]}
demoApp:
  placement:
    - {cluster: ocp, components: [frontpage, catalog, bookings, postgresql, payments, notifications, movies, analytics, database, mysql]}
`;

describe('openshift sidecar namespaces', () => {
  it('attach istio-cni and bind nonroot-v2 in every sidecar namespace of the OpenShift cluster only', async () => {
    const dir = tempDir();
    for (const [p, f] of renderRepo(parseFleet(model))) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), f.content);
    }
    const build = async (overlay: string) => {
      const b = await kustomizeBuild(tool, join(dir, overlay));
      expect(b.ok, b.stderr).toBe(true);
      return parseYamlDocs(b.yaml);
    };
    const setup = (objs: Record<string, any>[], kind: string) => objs.filter((o) => o.kind === kind).map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();

    const ocp = [...(await build('manifests/smm-controlplane/overlays/ocp')), ...(await build('manifests/demo-app/overlays/ocp'))];
    expect(setup(ocp, 'NetworkAttachmentDefinition')).toEqual(['edge/istio-cni-cp-v115x-istio-system', 'smm-demo/istio-cni-cp-v115x-istio-system', 'team-a/istio-cni-cp-v115x-istio-system']);
    expect(setup(ocp, 'RoleBinding')).toEqual(['edge/istio-proxy-scc-nonroot-v2', 'smm-demo/istio-proxy-scc-nonroot-v2', 'team-a/istio-proxy-scc-nonroot-v2']);
    const binding = ocp.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'team-a')!;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:nonroot-v2' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:team-a' }]);
    // Set up before workloads start: after the namespace, before the control plane.
    expect(Number(binding.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(Number(ocp.find((o) => o.kind === 'Namespace' && o.metadata.name === 'team-a')!.metadata.annotations['argocd.argoproj.io/sync-wave']));

    const k8s = await build('manifests/smm-controlplane/overlays/k8s');
    expect(k8s.some((o) => o.kind === 'NetworkAttachmentDefinition' || o.kind === 'RoleBinding')).toBe(false);
  });
});
