/**
 * Argo CD objects: one ApplicationSet per application (list generator over the model's clusters,
 * as in docs 2.3.7), the root "app of apps", the argocd-cm health patch, and an AppProject when
 * the fleet uses its own project.
 */
import type { Fleet } from '../model/schema.js';
import { sealedSecret } from '../secrets/manifest.js';
import { MANAGEMENT_CLUSTER, type SealedStore } from '../secrets/store.js';
import type { RenderContext } from './context.js';
import { APP, APPS_DIR, IN_CLUSTER, NS, overlaysDir, PLACEHOLDER_ANNOTATION, ROOT_APP, SYNC_WAVE, VENDORED_CHART_DIR, type AppName } from './layout.js';
import type { K8sObject } from './yaml.js';

const ARGO_API = 'argoproj.io/v1alpha1';
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** The docs' sync options for every Calisti application (2.3.7). */
const SYNC_OPTIONS = ['Validate=false', 'PruneLast=true', 'CreateNamespace=true', 'Replace=true'];

export function syncPolicy(fleet: Fleet, options: string[] = SYNC_OPTIONS): Record<string, unknown> {
  const sp = fleet.argocd.syncPolicy;
  return {
    ...(sp.automated === false ? {} : { automated: { prune: sp.automated.prune, selfHeal: sp.automated.selfHeal } }),
    retry: { limit: sp.retry.limit, backoff: { ...sp.retry.backoff } },
    syncOptions: options,
  };
}

function gitSource(fleet: Fleet, path: string): Record<string, unknown> {
  return { repoURL: fleet.git.repoURL, targetRevision: fleet.git.targetRevision, path };
}

function appSet(
  ctx: RenderContext,
  opts: { name: string; appPrefix: string; wave: string; elements: Record<string, string>[]; spec: Record<string, unknown> },
): K8sObject {
  const { fleet } = ctx;
  return {
    apiVersion: ARGO_API,
    kind: 'ApplicationSet',
    metadata: { annotations: { [SYNC_WAVE]: opts.wave }, name: opts.name, namespace: fleet.argocd.namespace },
    spec: {
      generators: [{ list: { elements: opts.elements } }],
      template: {
        metadata: { name: `${opts.appPrefix}-{{cluster}}`, namespace: fleet.argocd.namespace, finalizers: [FINALIZER] },
        spec: { project: fleet.argocd.project, ...opts.spec, syncPolicy: syncPolicy(fleet) },
      },
    },
  };
}

const overlaySource = (fleet: Fleet, app: AppName) => gitSource(fleet, `${overlaysDir(app)}/{{cluster}}`);

export function operatorAppSet(ctx: RenderContext): K8sObject {
  const { fleet, blueprint } = ctx;
  const helm = {
    releaseName: APP.operator,
    parameters: [
      { name: 'global.ecr.enabled', value: 'false' },
      { name: 'apiServerEndpointAddress', value: '{{apiServerEndpointAddress}}' },
    ],
  };
  const chart =
    fleet.calisti.chart === 'oci'
      ? { repoURL: blueprint.chart.repository, chart: blueprint.chart.name, targetRevision: blueprint.chart.version, helm }
      : { ...gitSource(fleet, VENDORED_CHART_DIR), helm };
  return appSet(ctx, {
    name: `${APP.operator}-appset`,
    appPrefix: APP.operator,
    wave: '0',
    elements: fleet.clusters.map((c) => ({ cluster: c.name, apiServerEndpointAddress: c.apiServerEndpointAddress ?? '' })),
    spec: {
      // The chart, plus this cluster's registry pull secret (never a credential in Helm parameters).
      sources: [chart, overlaySource(fleet, APP.operator)],
      destination: { namespace: NS.registryAccess, name: '{{cluster}}' },
      ignoreDifferences: [{ kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', jsonPointers: ['/webhooks'] }],
    },
  });
}

export function controlPlaneAppSet(ctx: RenderContext): K8sObject {
  return appSet(ctx, {
    name: 'smm-cp-appset',
    appPrefix: 'smm-cp',
    wave: '1',
    elements: ctx.fleet.clusters.map((c) => ({ cluster: c.name })),
    spec: { source: overlaySource(ctx.fleet, APP.controlPlane), destination: { name: '{{cluster}}' } },
  });
}

export function demoAppSet(ctx: RenderContext, clusters: string[]): K8sObject {
  return appSet(ctx, {
    name: 'demo-app-appset',
    appPrefix: APP.demoApp,
    wave: '2',
    elements: clusters.map((cluster) => ({ cluster })),
    spec: { source: overlaySource(ctx.fleet, APP.demoApp), destination: { name: '{{cluster}}' } },
  });
}

/** The one Application a user applies by hand; it syncs every ApplicationSet under apps/. */
export function rootApp(fleet: Fleet): K8sObject {
  return {
    apiVersion: ARGO_API,
    kind: 'Application',
    metadata: { name: ROOT_APP, namespace: fleet.argocd.namespace, finalizers: [FINALIZER] },
    spec: {
      project: fleet.argocd.project,
      source: gitSource(fleet, APPS_DIR),
      destination: { server: IN_CLUSTER, namespace: fleet.argocd.namespace },
      syncPolicy: syncPolicy(fleet, ['PruneLast=true']),
    },
  };
}

/** The docs' argocd-cm patch (2.3.6 step 6): app-of-apps health and status-field diffing. */
export function argocdConfigMap(fleet: Fleet): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      namespace: fleet.argocd.namespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: {
      'resource.customizations.health.argoproj.io_Application': [
        'hs = {}',
        'hs.status = "Progressing"',
        'hs.message = ""',
        'if obj.status ~= nil then',
        '  if obj.status.health ~= nil then',
        '    hs.status = obj.status.health.status',
        '    if obj.status.health.message ~= nil then',
        '      hs.message = obj.status.health.message',
        '    end',
        '  end',
        'end',
        'return hs',
        '',
      ].join('\n'),
      'resource.compareoptions': [
        '# disables status field diffing in specified resource types',
        'ignoreAggregatedRoles: true',
        '',
        '# disables status field diffing in specified resource types',
        "# 'crd' - CustomResourceDefinition-s (default)",
        "# 'all' - all resources",
        "# 'none' - disabled",
        'ignoreResourceStatusField: all',
        '',
      ].join('\n'),
    },
  };
}

/** A project of the fleet's own, limited to its repos and clusters. */
export function appProject(ctx: RenderContext): K8sObject {
  const { fleet, blueprint } = ctx;
  return {
    apiVersion: ARGO_API,
    kind: 'AppProject',
    metadata: { name: fleet.argocd.project, namespace: fleet.argocd.namespace },
    spec: {
      description: 'Calisti Service Mesh Manager fleet (generated by calisti-gitops)',
      sourceRepos: [fleet.git.repoURL, ...(fleet.calisti.chart === 'oci' ? [blueprint.chart.repository] : [])],
      destinations: [
        { server: IN_CLUSTER, namespace: fleet.argocd.namespace },
        ...fleet.clusters.map((c) => ({ name: c.name, namespace: '*' })),
      ],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}

/** The Argo CD cluster Secret of a fleet cluster (`clusters add`). */
export const clusterSecretName = (cluster: string) => `cluster-${cluster}`;

export const chartRepositorySecretName = (ctx: RenderContext) => `${ctx.blueprint.chart.name}-chart-repository`;
const REPOSITORY_LABEL = { 'argocd.argoproj.io/secret-type': 'repository' };

/** Argo CD's credentials for the chart registry: a placeholder until `calisti-gitops seal`. */
export function chartRepositorySecret(ctx: RenderContext, sealed: SealedStore): K8sObject {
  const { fleet, blueprint } = ctx;
  const entry = sealed.get(MANAGEMENT_CLUSTER, fleet.argocd.namespace, chartRepositorySecretName(ctx));
  if (entry) return sealedSecret(entry, { labels: REPOSITORY_LABEL });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: chartRepositorySecretName(ctx),
      namespace: fleet.argocd.namespace,
      labels: REPOSITORY_LABEL,
      annotations: { [PLACEHOLDER_ANNOTATION]: 'username, password: seal with CALISTI_USERNAME and CALISTI_PASSWORD' },
    },
    type: 'Opaque',
    stringData: {
      name: blueprint.chart.name,
      type: 'helm',
      url: blueprint.chart.repository,
      enableOCI: 'true',
    },
  };
}
