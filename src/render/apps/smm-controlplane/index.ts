/**
 * smm-controlplane (docs 2.3.7): the Istio and Calisti control planes in base, per-cluster patches
 * and Components in the overlays, plus the mesh namespaces and gateways each overlay picks.
 */
import { placedOn } from '../../../model/membership.js';
import { revisionOn } from '../../../model/revisions.js';
import type { Cluster } from '../../../model/schema.js';
import { DESTINATION } from '../../argocd.js';
import { componentFiles } from '../../components.js';
import { cniAttachment, nonrootSccBinding } from '../../openshift.js';
import { labelOf, type RenderContext } from '../../context.js';
import { kustomization } from '../../kustomize.js';
import { appDir, componentDir, relativeTo, NS, WAVE } from '../../layout.js';
import type { K8sObject } from '../../yaml.js';
import type { AppFile, GeneratedApp } from '../types.js';
import {
  controlPlane,
  controlPlaneFeatures,
  controlPlanePatch,
  dashboardPatch,
  istioControlPlane,
  istioControlPlanePatch,
  istioFileName,
  namespace,
} from './controlplane.js';
import { oidcFiles } from './oidc.js';
import { acmeCertificates, acmeIssuer, egressRoute, istioGateway, meshGateway, virtualServices } from './gateways.js';
import { meshGatewayRevisionPatch, namespaceRevisionPatch } from '../../revision-patches.js';

const NAME = 'smm-controlplane';
const gatewayNamespaceDir = (namespace: string) => `${appDir(NAME)}/gateways/${namespace}`;
const gatewayDir = (namespace: string, name: string) => `${gatewayNamespaceDir(namespace)}/${name}`;
const meshNamespaceDir = (name: string) => `${appDir(NAME)}/namespaces/${name}`;

const gatewaysOn = (ctx: RenderContext, c: Cluster) => placedOn(ctx.fleet.gateways, c.name);
const meshNamespacesOn = (ctx: RenderContext, c: Cluster) => placedOn(ctx.fleet.namespaces, c.name, 'all');

/**
 * OpenShift: every namespace with sidecars on this cluster (mesh namespaces and gateway namespaces)
 * gets the istio-cni attachment of each control plane its workloads use and the nonroot-v2 SCC.
 */
function sidecarNamespaceSetup(ctx: RenderContext, c: Cluster): [string, K8sObject][] {
  const revisions = new Map<string, Set<string | undefined>>();
  const add = (ns: string, rev: string | undefined) => revisions.set(ns, (revisions.get(ns) ?? new Set()).add(rev ?? ctx.revision));
  for (const n of meshNamespacesOn(ctx, c)) add(n.name, revisionOn(n, c.name));
  for (const g of gatewaysOn(ctx, c)) add(g.namespace, revisionOn(g, c.name));
  return [...revisions].flatMap(([ns, revs]) => [
    ...[...revs].map((r): [string, K8sObject] => [`network-attachment-${ns}-${r}.yaml`, cniAttachment(ctx, ns, r)]),
    [`scc-nonroot-v2-${ns}.yaml`, nonrootSccBinding(ns)] as [string, K8sObject],
  ]);
}

/**
 * A migration rolling out cluster by cluster (clusterRevisions): this cluster's mesh namespaces and
 * gateways on another control plane than the fleet's, as patches over the shared folders.
 */
function revisionPatches(ctx: RenderContext, c: Cluster): [string, K8sObject][] {
  const istioNs = ctx.fleet.istio.namespace;
  return [
    ...meshNamespacesOn(ctx, c).flatMap((n): [string, K8sObject][] => {
      const r = n.clusterRevisions?.[c.name];
      return r ? [[`revision-namespace-${n.name}.yaml`, namespaceRevisionPatch(n.name, labelOf(ctx, r))]] : [];
    }),
    ...gatewaysOn(ctx, c).flatMap((g): [string, K8sObject][] => {
      const r = g.clusterRevisions?.[c.name];
      return r ? [[`revision-gateway-${g.namespace}-${g.name}.yaml`, meshGatewayRevisionPatch(g, r, istioNs)]] : [];
    }),
  ];
}

/** `<prefix>-<object name>.yaml`: one file per object. */
const named =
  (prefix: string) =>
  (obj: K8sObject): [string, K8sObject] => [`${prefix}-${obj.metadata?.name as string}.yaml`, obj];

/** A folder with its own kustomization listing every file in it. */
function folder(dir: string, docs: [string, K8sObject][]): AppFile[] {
  return [
    ...docs.map(([file, content]) => ({ path: `${dir}/${file}`, content })),
    { path: `${dir}/kustomization.yaml`, content: kustomization({ resources: docs.map(([f]) => f) }) },
  ];
}

export const smmControlPlane: GeneratedApp = {
  name: NAME,
  appSetName: 'smm-cp-appset',
  appPrefix: 'smm-cp',
  wave: '1',
  needs: "the smm-operator chart's CRDs and operator",
  // Istio's networking kinds and cert-manager's are installed during this very sync, by the control planes.
  syncOptions: ['SkipDryRunOnMissingResource=true'],
  clusters: (ctx) => ctx.fleet.clusters,
  spec: (_ctx, overlay) => ({ source: overlay, destination: { name: DESTINATION } }),
  base(ctx) {
    const docs: [string, K8sObject][] = [
      ['cert-manager-namespace.yaml', namespace(NS.certManager, WAVE.certManagerNamespace)],
      ['istio-system-namespace.yaml', namespace(ctx.fleet.istio.namespace, WAVE.istioNamespace)],
      ...ctx.revisions.map((r): [string, K8sObject] => [istioFileName(r.name), istioControlPlane(ctx, r)]),
      ['control-plane.yaml', controlPlane(ctx)],
    ];
    return [...docs, ['kustomization.yaml', kustomization({ resources: docs.map(([f]) => f) })]];
  },
  overlay({ ctx, cluster, dir, base, sealed }) {
    const icpFiles = ctx.revisions.map((r) => istioFileName(r.name));
    const gateways = gatewaysOn(ctx, cluster);
    const namespaces = [...new Set(gateways.map((g) => g.namespace))];
    const openshift = cluster.platform === 'openshift' ? sidecarNamespaceSetup(ctx, cluster) : [];
    const oidc = oidcFiles(cluster, sealed);
    const dashboard = dashboardPatch(cluster);
    const extraPatches: [string, K8sObject][] = [
      ...(dashboard ? [['dashboard.yaml', dashboard] as [string, K8sObject]] : []),
      ...revisionPatches(ctx, cluster),
    ];
    return [
      ['control-plane.yaml', controlPlanePatch(cluster)],
      ...extraPatches,
      ...openshift,
      ...oidc,
      ...ctx.revisions.map((r): [string, K8sObject] => [istioFileName(r.name), istioControlPlanePatch(ctx, cluster, r.name)]),
      [
        'kustomization.yaml',
        kustomization({
          resources: [
            relativeTo(dir, base),
            ...meshNamespacesOn(ctx, cluster).map((n) => relativeTo(dir, meshNamespaceDir(n.name))),
            ...namespaces.map((ns) => relativeTo(dir, gatewayNamespaceDir(ns))),
            ...gateways.map((g) => relativeTo(dir, gatewayDir(g.namespace, g.name))),
            ...openshift.map(([f]) => f),
            ...oidc.map(([f]) => f),
          ],
          components: controlPlaneFeatures(cluster).map((f) => relativeTo(dir, componentDir(NAME, f))),
          patches: [{ path: 'control-plane.yaml' }, ...icpFiles.map((path) => ({ path })), ...extraPatches.map(([path]) => ({ path }))],
        }),
      ],
    ];
  },
  shared(ctx, clusters) {
    const { fleet } = ctx;
    const files: AppFile[] = [];
    // Workload namespaces in the mesh: one kustomization each, labelled for their control plane.
    for (const n of fleet.namespaces) {
      files.push(
        ...folder(meshNamespaceDir(n.name), [
          ['namespace.yaml', namespace(n.name, WAVE.istioNamespace, { ...n.labels, 'istio.io/rev': labelOf(ctx, n.revision) })],
        ]),
      );
    }
    // Gateways: one kustomization per gateway and one per namespace, so overlays pick what runs where.
    for (const gw of fleet.gateways) {
      files.push(
        ...folder(gatewayDir(gw.namespace, gw.name), [
          ['mesh-gateway.yaml', meshGateway(ctx, gw)],
          ['gateway.yaml', istioGateway(gw)],
          ...virtualServices(gw).map(named('virtual-service')),
          ...acmeIssuer(gw).map(named('issuer')),
          ...acmeCertificates(gw).map(named('certificate')),
          ...gw.external.flatMap((e) => egressRoute(gw, e)).map((o) => named(o.kind === 'ServiceEntry' ? 'service-entry' : 'virtual-service')(o)),
        ]),
      );
    }
    for (const ns of new Set(fleet.gateways.map((g) => g.namespace))) {
      files.push(...folder(gatewayNamespaceDir(ns), [['namespace.yaml', namespace(ns, WAVE.istioNamespace)]]));
    }
    const features = new Set(clusters.flatMap(controlPlaneFeatures));
    for (const feature of [...features].sort()) {
      for (const [file, text] of componentFiles(NAME, feature)) files.push({ path: `${componentDir(NAME, feature)}/${file}`, text });
    }
    return files;
  },
};
