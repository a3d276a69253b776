/**
 * OpenShift (docs 2.3.8): every namespace with sidecars on an OpenShift cluster gets the istio-cni
 * NetworkAttachmentDefinition and the nonroot-v2 SCC binding; other clusters get neither.
 */
import { describe, expect, it } from 'vitest';
import { fleetModel, renderToDisk } from './render.js';

const model = fleetModel(
  `  - name: ocp
    platform: openshift
  - name: k8s
    role: passive`,
  `namespaces:
  - name: team-a
  - name: team-b
    clusters: [k8s]
gateways:
  - {name: edge, namespace: edge, clusters: [ocp, k8s], ports: [{name: http, port: 8080}]}
demoApp:
  placement:
    - {cluster: ocp, components: [frontpage, catalog, bookings, postgresql, payments, notifications, movies, analytics, database, mysql]}
`,
);

describe('openshift sidecar namespaces', () => {
  it('attach istio-cni and bind nonroot-v2 in every sidecar namespace of the OpenShift cluster only', async () => {
    const { build } = renderToDisk(model);
    const setup = (objs: Record<string, any>[], kind: string) =>
      objs
        .filter((o) => o.kind === kind)
        .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
        .sort();

    const ocp = [...(await build('manifests/smm-controlplane/overlays/ocp')), ...(await build('manifests/demo-app/overlays/ocp'))];
    expect(setup(ocp, 'NetworkAttachmentDefinition')).toEqual([
      'edge/istio-cni-cp-v115x-istio-system',
      'smm-demo/istio-cni-cp-v115x-istio-system',
      'team-a/istio-cni-cp-v115x-istio-system',
    ]);
    expect(setup(ocp, 'RoleBinding')).toEqual(['edge/istio-proxy-scc-nonroot-v2', 'smm-demo/istio-proxy-scc-nonroot-v2', 'team-a/istio-proxy-scc-nonroot-v2']);
    const binding = ocp.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'team-a')!;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:nonroot-v2' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:team-a' }]);
    // Set up before workloads start: after the namespace, before the control plane.
    expect(Number(binding.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(
      Number(ocp.find((o) => o.kind === 'Namespace' && o.metadata.name === 'team-a')!.metadata.annotations['argocd.argoproj.io/sync-wave']),
    );

    const k8s = await build('manifests/smm-controlplane/overlays/k8s');
    expect(k8s.some((o) => o.kind === 'NetworkAttachmentDefinition' || o.kind === 'RoleBinding')).toBe(false);
  });
});
