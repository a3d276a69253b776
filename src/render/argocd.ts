/**
 * Argo CD objects: one ApplicationSet per application (list generator over the model's clusters,
 * as in docs 2.3.7), the root "app of apps", the argocd-cm health patch, and an AppProject when
 * the fleet uses its own project.
 */
import { placedOn } from '../model/membership.js';
import { SECRET_TYPE_LABEL } from '../argocd/cluster-secrets.js';
import { DOCS_SYNC_OPTIONS, type IgnoreDifference } from '../model/argocd.js';
import type { Cluster, Fleet } from '../model/schema.js';
import { applicationName } from './app-name.js';
import { sealedSecret } from './sealed-secret.js';
import { MANAGEMENT_CLUSTER, type SealedStore } from '../secrets/store.js';
import type { GeneratedApp } from './apps/types.js';
import type { RenderContext } from './context.js';
import { APPS_DIR, IN_CLUSTER, overlaysDir, PLACEHOLDER_ANNOTATION, ROOT_APP, SYNC_WAVE } from './layout.js';
import type { K8sObject } from './yaml.js';

const ARGO_API = 'argoproj.io/v1alpha1';
export const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** The destination of a generated Application: the cluster's name in Argo CD (list-generator value). */
export const DESTINATION = '{{argocdCluster}}';
/** The list-generator value that holds an Application's name when one in its set had to be cut. */
const APP_NAME_PARAM = 'application';

export function syncPolicy(fleet: Fleet, options: string[] = DOCS_SYNC_OPTIONS): Record<string, unknown> {
  const sp = fleet.argocd.syncPolicy;
  return {
    ...(sp.automated === false ? {} : { automated: { prune: sp.automated.prune, selfHeal: sp.automated.selfHeal } }),
    retry: { limit: sp.retry.limit, backoff: { ...sp.retry.backoff } },
    syncOptions: options,
  };
}

/**
 * An application's sync options: its own setting in the model, else the fleet's followed by the
 * application's defaults the fleet's do not name (one value per option name).
 */
export function syncOptionsOf(fleet: Fleet, app: GeneratedApp): string[] {
  const own = fleet.argocd.applications[app.name as keyof typeof fleet.argocd.applications]?.syncOptions;
  if (own) return own;
  const named = new Set(fleet.argocd.syncOptions.map((o) => o.split('=')[0]));
  return [...fleet.argocd.syncOptions, ...(app.syncOptions ?? []).filter((o) => !named.has(o.split('=')[0]))];
}

/** The application's own ignoreDifferences, then the fleet's, then those the model sets for this application. */
function ignoreDifferencesOf(fleet: Fleet, app: GeneratedApp, own: unknown): unknown[] {
  const extra: IgnoreDifference[] = [
    ...fleet.argocd.ignoreDifferences,
    ...(fleet.argocd.applications[app.name as keyof typeof fleet.argocd.applications]?.ignoreDifferences ?? []),
  ];
  return [...(Array.isArray(own) ? own : []), ...extra];
}

/** A source in this repository; paths are the tree's, Argo CD's start at the repository's root (git.path). */
export function gitSource(fleet: Fleet, path: string): Record<string, unknown> {
  return { repoURL: fleet.git.repoURL, targetRevision: fleet.git.targetRevision, path: fleet.git.path ? `${fleet.git.path}/${path}` : path };
}

/** The label every generated Application carries with its cluster's ring, when the fleet has rings. */
export const RING_LABEL = 'calisti.io/ring';

/**
 * Ring order as Argo CD's ApplicationSet controller follows it (progressive syncs, RollingSync): one
 * step per ring the set's clusters are in, in rollout order, then one for clusters in no ring (whose
 * label is empty), so no Application is left out; the controller syncs a step once the previous
 * one is Healthy. It also turns off the Applications' automated sync: it triggers their syncs itself.
 */
export function ringStrategy(fleet: Fleet, clusters: Cluster[]): Record<string, unknown> | undefined {
  if (fleet.rings.length === 0) return undefined;
  const names = new Set(clusters.map((c) => c.name));
  const steps: Record<string, unknown>[] = fleet.rings
    .filter((r) => r.clusters.some((c) => names.has(c)))
    .map((r) => ({
      matchExpressions: [{ key: RING_LABEL, operator: 'In', values: [r.name] }],
      ...(r.maxUpdate !== undefined ? { maxUpdate: r.maxUpdate } : {}),
    }));
  if (clusters.some((c) => ringOf(fleet, c.name) === ''))
    steps.push({ matchExpressions: [{ key: RING_LABEL, operator: 'NotIn', values: fleet.rings.map((r) => r.name) }] });
  return { type: 'RollingSync', rollingSync: { steps } };
}

/** A cluster's ring name, '' for none. */
const ringOf = (fleet: Fleet, cluster: string) => placedOn(fleet.rings, cluster)[0]?.name ?? '';

/** An application's ApplicationSet: a list generator over the clusters it runs on, each synced from its overlay. */
export function appSet(ctx: RenderContext, app: GeneratedApp, clusters: Cluster[]): K8sObject {
  const { fleet } = ctx;
  const overlay = gitSource(fleet, `${overlaysDir(app.name)}/{{cluster}}`);
  const { ignoreDifferences, ...spec } = app.spec(ctx, overlay);
  const ignore = ignoreDifferencesOf(fleet, app, ignoreDifferences);
  const preserve = fleet.argocd.preserveResourcesOnDeletion;
  const strategy = ringStrategy(fleet, clusters);
  // A set with a name cut to fit (./app-name.ts) carries every name in its elements; the others keep the docs' template.
  const cut = clusters.some((c) => applicationName(app.appPrefix, c.name) !== `${app.appPrefix}-${c.name}`);
  return {
    apiVersion: ARGO_API,
    kind: 'ApplicationSet',
    metadata: { annotations: { [SYNC_WAVE]: app.wave }, name: app.appSetName, namespace: fleet.argocd.namespace },
    spec: {
      generators: [
        {
          list: {
            elements: clusters.map((c) => ({
              cluster: c.name,
              ...(cut ? { [APP_NAME_PARAM]: applicationName(app.appPrefix, c.name) } : {}),
              argocdCluster: c.argocd?.name ?? c.name,
              ...(strategy ? { ring: ringOf(fleet, c.name) } : {}),
              ...app.element?.(c, ctx.forCluster(c.name)),
            })),
          },
        },
      ],
      ...(strategy ? { strategy } : {}),
      ...(preserve ? { syncPolicy: { preserveResourcesOnDeletion: true } } : {}),
      template: {
        // With preserveResourcesOnDeletion the finalizer would still delete everything: Argo CD honours it on its own.
        metadata: {
          name: cut ? `{{${APP_NAME_PARAM}}}` : `${app.appPrefix}-{{cluster}}`,
          namespace: fleet.argocd.namespace,
          ...(strategy ? { labels: { [RING_LABEL]: '{{ring}}' } } : {}),
          ...(preserve ? {} : { finalizers: [FINALIZER] }),
        },
        spec: {
          project: fleet.argocd.project,
          ...spec,
          ...(ignore.length ? { ignoreDifferences: ignore } : {}),
          syncPolicy: syncPolicy(fleet, syncOptionsOf(fleet, app)),
        },
      },
    },
  };
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

/**
 * Health of an ApplicationSet: Healthy once every Application it generated is Synced and Healthy
 * (status.resources, Argo CD 2.12 and later). Argo CD's own check calls a set Healthy as soon as its
 * Applications exist, so the root app's sync waves would pass the operator before it runs.
 */
const APPLICATION_SET_HEALTH = [
  'hs = {}',
  'if obj.status ~= nil and obj.status.conditions ~= nil then',
  '  for _, c in ipairs(obj.status.conditions) do',
  '    if c.type == "ErrorOccurred" and c.status == "True" then',
  '      hs.status = "Degraded"',
  '      hs.message = c.message',
  '      return hs',
  '    end',
  '  end',
  'end',
  'if obj.status == nil or obj.status.resources == nil or #obj.status.resources == 0 then',
  '  hs.status = "Progressing"',
  '  hs.message = "Waiting for the generated Applications"',
  '  return hs',
  'end',
  'for _, r in ipairs(obj.status.resources) do',
  '  local health = "Unknown"',
  '  if r.health ~= nil and r.health.status ~= nil then',
  '    health = r.health.status',
  '  end',
  '  if health ~= "Healthy" or r.status ~= "Synced" then',
  '    hs.status = "Progressing"',
  '    hs.message = "Waiting for Application " .. r.name .. " (" .. health .. ", " .. tostring(r.status) .. ")"',
  '    return hs',
  '  end',
  'end',
  'hs.status = "Healthy"',
  'hs.message = "Every generated Application is Synced and Healthy"',
  'return hs',
  '',
].join('\n');

/**
 * The ApplicationSet controller refreshes status.resources when an Application's health changes
 * only with progressive syncs enabled; without it the health above goes stale and the waves wait.
 */
export function argocdCmdParams(fleet: Fleet): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cmd-params-cm',
      namespace: fleet.argocd.namespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cmd-params-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: { 'applicationsetcontroller.enable.progressive.syncs': 'true' },
  };
}

/** The docs' argocd-cm patch (2.3.6 step 6): app-of-apps health and status-field diffing, plus ApplicationSet health. */
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
      'resource.customizations.health.argoproj.io_ApplicationSet': APPLICATION_SET_HEALTH,
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
      destinations: [{ server: IN_CLUSTER, namespace: fleet.argocd.namespace }, ...fleet.clusters.map((c) => ({ name: c.name, namespace: '*' }))],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}

/** The Argo CD cluster Secret of a fleet cluster (`clusters add`). */
export const clusterSecretName = (cluster: string) => `cluster-${cluster}`;

/** Its labels: what cluster generators (the tool's and the user's own) can select on. */
export function clusterSecretLabels(c: Cluster): Record<string, string> {
  return { [SECRET_TYPE_LABEL]: 'cluster', 'calisti.io/role': c.role, 'calisti.io/network': c.network ?? c.name, 'calisti.io/platform': c.platform };
}

export const chartRepositorySecretName = (ctx: RenderContext) => `${ctx.blueprint.chart.name}-chart-repository`;
/** Argo CD's credentials for this repository (the docs' `argocd repo add`). */
export const GIT_REPOSITORY_SECRET = `${ROOT_APP}-repository`;
/** Argo CD reads an https repository with a username and token; ssh keys are sealed with kubeseal. */
export const needsGitCredentials = (fleet: Fleet) => fleet.git.private && fleet.git.repoURL.startsWith('https://');
const REPOSITORY_LABEL = { 'argocd.argoproj.io/secret-type': 'repository' };

/** Argo CD's credentials for this private repository: a placeholder until `seal --target git-repository`. */
export function gitRepositorySecret(fleet: Fleet, sealed: SealedStore): K8sObject {
  const entry = sealed.get(MANAGEMENT_CLUSTER, fleet.argocd.namespace, GIT_REPOSITORY_SECRET);
  if (entry) return sealedSecret(entry, { labels: REPOSITORY_LABEL });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: GIT_REPOSITORY_SECRET,
      namespace: fleet.argocd.namespace,
      labels: REPOSITORY_LABEL,
      annotations: { [PLACEHOLDER_ANNOTATION]: 'username, password: seal with CALISTI_GIT_USERNAME and CALISTI_GIT_PASSWORD, --target git-repository' },
    },
    type: 'Opaque',
    stringData: { type: 'git', url: fleet.git.repoURL },
  };
}

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
