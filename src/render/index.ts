/**
 * renderRepo: Fleet -> every generated file of the calisti-gitops repo, as a sorted map of
 * repo-relative paths to contents. Pure: no clock, no environment, same model -> same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fleet } from '../model/schema.js';
import { schemasDir } from '../toolkit.js';
import * as argo from './argocd.js';
import { ciFiles } from './ci.js';
import { componentFiles } from './components.js';
import { labelOf, renderContext, networkOf, type RenderContext } from './context.js';
import { controlPlane, controlPlaneFeatures, controlPlanePatch, istioControlPlane, istioControlPlanePatch, istioFileName, namespace } from './controlplane.js';
import { cniAttachment, demoApplication, demoApplicationPatch, demoNamespace } from './demoapp.js';
import { istioGateway, meshGateway, virtualServices } from './gateways.js';
import { kustomization } from './kustomize.js';
import * as L from './layout.js';
import { renderTemplate } from './prose.js';
import { sealedSecret } from '../secrets/manifest.js';
import { MANAGEMENT_CLUSTER, SealedStore } from '../secrets/store.js';
import { registryPullSecret } from './secrets.js';
import { toYaml, type K8sObject } from './yaml.js';

export interface RenderedFile {
  content: string;
  executable?: boolean;
}
export type RenderedTree = Map<string, RenderedFile>;

class TreeBuilder {
  private readonly files = new Map<string, RenderedFile>();
  text(path: string, content: string, executable = false): void {
    if (this.files.has(path)) throw new Error(`internal: ${path} rendered twice`);
    this.files.set(path, executable ? { content, executable } : { content });
  }
  yaml(path: string, obj: object): void {
    this.text(path, toYaml(obj));
  }
  build(): RenderedTree {
    return new Map([...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** `sealed`: the repo's sealed values (sealed-secrets.yaml), rendered as SealedSecrets. */
export function renderRepo(fleet: Fleet, sealed: SealedStore = new SealedStore()): RenderedTree {
  const ctx = renderContext(fleet);
  const out = new TreeBuilder();
  renderOperator(ctx, out, sealed);
  renderControlPlane(ctx, out);
  const demoClusters = renderDemoApp(ctx, out);
  renderArgo(ctx, out, demoClusters, sealed);
  renderProse(ctx, out, demoClusters);
  if (fleet.ci.github) for (const [path, obj] of ciFiles()) out.yaml(path, obj);
  out.text(L.SCHEMA_FILE, readFileSync(join(schemasDir, 'calisti.schema.json'), 'utf8'));
  return out.build();
}

/** The operator's second source: each cluster's registry pull secret, sealed for that cluster. */
function renderOperator(ctx: RenderContext, out: TreeBuilder, sealed: SealedStore): void {
  for (const c of ctx.fleet.clusters) {
    const dir = L.overlayDir(L.APP.operator, c.name);
    out.yaml(`${dir}/registry-pull-secret.yaml`, registryPullSecret(ctx, c.name, sealed));
    out.yaml(`${dir}/kustomization.yaml`, kustomization({ resources: ['registry-pull-secret.yaml'] }));
  }
}

function renderControlPlane(ctx: RenderContext, out: TreeBuilder): void {
  const { fleet } = ctx;
  const app = L.APP.controlPlane;
  const base = L.baseDir(app);
  const icpFiles = ctx.revisions.map((r) => istioFileName(r.name));
  out.yaml(`${base}/cert-manager-namespace.yaml`, namespace(L.NS.certManager, L.WAVE.certManagerNamespace));
  out.yaml(`${base}/istio-system-namespace.yaml`, namespace(fleet.istio.namespace, L.WAVE.istioNamespace));
  for (const r of ctx.revisions) out.yaml(`${base}/${istioFileName(r.name)}`, istioControlPlane(ctx, r));
  out.yaml(`${base}/control-plane.yaml`, controlPlane(ctx));
  out.yaml(
    `${base}/kustomization.yaml`,
    kustomization({ resources: ['cert-manager-namespace.yaml', 'istio-system-namespace.yaml', ...icpFiles, 'control-plane.yaml'] }),
  );

  // Workload namespaces in the mesh: one kustomization each, labelled for their control plane.
  for (const n of fleet.namespaces) {
    const dir = L.meshNamespaceDir(n.name);
    out.yaml(`${dir}/namespace.yaml`, namespace(n.name, L.WAVE.istioNamespace, { ...n.labels, 'istio.io/rev': labelOf(ctx, n.revision) }));
    out.yaml(`${dir}/kustomization.yaml`, kustomization({ resources: ['namespace.yaml'] }));
  }

  // Gateways: one kustomization per gateway and one per namespace, so overlays pick what runs where.
  const gatewayNamespaces = new Set<string>();
  for (const gw of fleet.gateways) {
    const dir = L.gatewayDir(gw.namespace, gw.name);
    const docs: [string, K8sObject][] = [
      ['mesh-gateway.yaml', meshGateway(ctx, gw)],
      ['gateway.yaml', istioGateway(gw)],
      ...virtualServices(gw).map((vs): [string, K8sObject] => [`virtual-service-${vs.metadata?.name as string}.yaml`, vs]),
    ];
    for (const [file, obj] of docs) out.yaml(`${dir}/${file}`, obj);
    out.yaml(`${dir}/kustomization.yaml`, kustomization({ resources: docs.map(([f]) => f) }));
    if (!gatewayNamespaces.has(gw.namespace)) {
      gatewayNamespaces.add(gw.namespace);
      const nsDir = L.gatewayNamespaceDir(gw.namespace);
      out.yaml(`${nsDir}/namespace.yaml`, namespace(gw.namespace, L.WAVE.istioNamespace));
      out.yaml(`${nsDir}/kustomization.yaml`, kustomization({ resources: ['namespace.yaml'] }));
    }
  }

  const usedFeatures = new Set<string>();
  for (const c of fleet.clusters) {
    const dir = L.overlayDir(app, c.name);
    const features = controlPlaneFeatures(c);
    features.forEach((f) => usedFeatures.add(f));
    const gateways = fleet.gateways.filter((g) => g.clusters.includes(c.name));
    const namespaces = [...new Set(gateways.map((g) => g.namespace))];
    const meshNamespaces = fleet.namespaces.filter((n) => !n.clusters || n.clusters.includes(c.name));
    out.yaml(`${dir}/control-plane.yaml`, controlPlanePatch(c));
    for (const r of ctx.revisions) out.yaml(`${dir}/${istioFileName(r.name)}`, istioControlPlanePatch(ctx, c, r.name));
    out.yaml(
      `${dir}/kustomization.yaml`,
      kustomization({
        resources: [
          L.relativeTo(dir, base),
          ...meshNamespaces.map((n) => L.relativeTo(dir, L.meshNamespaceDir(n.name))),
          ...namespaces.map((ns) => L.relativeTo(dir, L.gatewayNamespaceDir(ns))),
          ...gateways.map((g) => L.relativeTo(dir, L.gatewayDir(g.namespace, g.name))),
        ],
        components: features.map((f) => L.relativeTo(dir, L.componentDir(app, f))),
        patches: [{ path: 'control-plane.yaml' }, ...icpFiles.map((path) => ({ path }))],
      }),
    );
  }
  for (const feature of [...usedFeatures].sort()) {
    for (const [file, content] of componentFiles(app, feature)) out.text(`${L.componentDir(app, feature)}/${file}`, content);
  }
}

/** Returns the clusters that run part of the demo app. */
function renderDemoApp(ctx: RenderContext, out: TreeBuilder): string[] {
  const demo = ctx.fleet.demoApp;
  if (!demo) return [];
  const app = L.APP.demoApp;
  const base = L.baseDir(app);
  out.yaml(`${base}/demo-app-namespace.yaml`, demoNamespace(ctx, demo));
  out.yaml(`${base}/demo-app.yaml`, demoApplication(ctx, demo));
  out.yaml(`${base}/kustomization.yaml`, kustomization({ resources: ['demo-app-namespace.yaml', 'demo-app.yaml'] }));
  const clusters: string[] = [];
  for (const c of ctx.fleet.clusters) {
    const placement = demo.placement.find((p) => p.cluster === c.name);
    if (!placement) continue;
    clusters.push(c.name);
    const dir = L.overlayDir(app, c.name);
    const extra: string[] = [];
    if (c.platform === 'openshift') {
      out.yaml(`${dir}/network-attachment.yaml`, cniAttachment(ctx, demo));
      extra.push('network-attachment.yaml');
    }
    out.yaml(`${dir}/demo-app.yaml`, demoApplicationPatch(demo, placement));
    out.yaml(`${dir}/kustomization.yaml`, kustomization({ resources: [L.relativeTo(dir, base), ...extra], patches: [{ path: 'demo-app.yaml' }] }));
  }
  return clusters;
}

function renderArgo(ctx: RenderContext, out: TreeBuilder, demoClusters: string[], sealed: SealedStore): void {
  const { fleet } = ctx;
  const appSets: [L.AppName, K8sObject][] = [
    [L.APP.operator, argo.operatorAppSet(ctx)],
    [L.APP.controlPlane, argo.controlPlaneAppSet(ctx)],
    ...(demoClusters.length > 0 ? [[L.APP.demoApp, argo.demoAppSet(ctx, demoClusters)] as [L.AppName, K8sObject]] : []),
  ];
  for (const [app, obj] of appSets) out.yaml(L.appSetFile(app), obj);
  out.yaml(
    `${L.APPS_DIR}/kustomization.yaml`,
    kustomization({ resources: appSets.map(([app]) => L.relativeTo(L.APPS_DIR, L.appSetFile(app))) }),
  );

  // Argo CD cluster Secrets sealed by `clusters add`.
  const clusterSecrets: [string, K8sObject][] = fleet.clusters.flatMap((c) => {
    const entry = sealed.get(MANAGEMENT_CLUSTER, fleet.argocd.namespace, argo.clusterSecretName(c.name));
    return entry ? [[`cluster-${c.name}.yaml`, sealedSecret(entry, { labels: { 'argocd.argoproj.io/secret-type': 'cluster' } })] as [string, K8sObject]] : [];
  });
  const bootstrap: [string, K8sObject][] = [
    ['argocd-cm.yaml', argo.argocdConfigMap(fleet)],
    ...clusterSecrets,
    ...(fleet.argocd.project !== 'default' ? [['app-project.yaml', argo.appProject(ctx)] as [string, K8sObject]] : []),
    ...(fleet.calisti.chart === 'oci' ? [['chart-repository.yaml', argo.chartRepositorySecret(ctx, sealed)] as [string, K8sObject]] : []),
    ['root-app.yaml', argo.rootApp(fleet)],
  ];
  for (const [file, obj] of bootstrap) out.yaml(`${L.BOOTSTRAP_DIR}/${file}`, obj);
  out.yaml(`${L.BOOTSTRAP_DIR}/kustomization.yaml`, kustomization({ resources: bootstrap.map(([f]) => f) }));
}

function renderProse(ctx: RenderContext, out: TreeBuilder, demoClusters: string[]): void {
  const { fleet, blueprint } = ctx;
  const names = fleet.clusters.map((c) => c.name);
  out.text(
    L.README,
    renderTemplate('README.md', {
      calisti: blueprint.calisti,
      chart: blueprint.chart.version,
      chartSource: fleet.calisti.chart === 'oci' ? `from ${blueprint.chart.repository}` : `vendored in ${L.VENDORED_CHART_DIR}`,
      istio: ctx.istio.version,
      revision: ctx.revision,
      istioNamespace: fleet.istio.namespace,
      meshID: fleet.istio.meshID,
      repoURL: fleet.git.repoURL,
      targetRevision: fleet.git.targetRevision,
      argocdNamespace: fleet.argocd.namespace,
      project: fleet.argocd.project,
      clusters: fleet.clusters.map((c) => ({
        name: c.name,
        role: c.role,
        network: networkOf(c),
        platform: c.platform,
        demo: demoClusters.includes(c.name) ? fleet.demoApp!.placement.find((p) => p.cluster === c.name)!.components.join(', ') : '-',
        gateways: fleet.gateways.filter((g) => g.clusters.includes(c.name)).map((g) => `${g.namespace}/${g.name}`).join(', ') || '-',
      })),
      placeholderAnnotation: L.PLACEHOLDER_ANNOTATION,
      bootstrapDir: L.BOOTSTRAP_DIR,
      appsDir: L.APPS_DIR,
      rootApp: L.ROOT_APP,
      multiCluster: names.length > 1,
      trustScript: L.TRUST_SCRIPT,
    }),
  );
  if (names.length > 1) {
    out.text(L.TRUST_SCRIPT, renderTemplate('export-secrets.sh', { clusters: names, registryNamespace: L.NS.clusterRegistry }), true);
  }
}

