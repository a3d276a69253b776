/**
 * The Argo CD side of the repo: apps/ (one ApplicationSet per generated application, and the
 * kustomization the root app syncs) and bootstrap/ (what a user applies by hand once).
 */
import { managementSealedSecretsApp } from './apps/sealed-secrets/index.js';
import { sealedSecret } from './sealed-secret.js';
import { MANAGEMENT_CLUSTER } from '../secrets/store.js';
import * as argo from './argocd.js';
import { kustomization } from './kustomize.js';
import { APPS_DIR, appSetFile, BOOTSTRAP_DIR, relativeTo } from './layout.js';
import type { RepoFiles } from './repo-files.js';
import type { K8sObject } from './yaml.js';

export const appSets: RepoFiles = ({ ctx, apps }) => [
  ...apps.map(({ app, clusters }) => ({ path: appSetFile(app.name), content: argo.appSet(ctx, app, clusters) })),
  { path: `${APPS_DIR}/kustomization.yaml`, content: kustomization({ resources: apps.map(({ app }) => relativeTo(APPS_DIR, appSetFile(app.name))) }) },
];

export const bootstrap: RepoFiles = ({ ctx, sealed }) => {
  const { fleet } = ctx;
  // Argo CD cluster Secrets sealed by `clusters add`.
  const clusterSecrets: [string, K8sObject][] = fleet.clusters.flatMap((c) => {
    const entry = sealed.get(MANAGEMENT_CLUSTER, fleet.argocd.namespace, argo.clusterSecretName(c.name));
    return entry ? [[`cluster-${c.name}.yaml`, sealedSecret(entry, { labels: argo.clusterSecretLabels(c) })] as [string, K8sObject]] : [];
  });
  const docs: [string, K8sObject][] = [
    ['argocd-cm.yaml', argo.argocdConfigMap(fleet)],
    ['argocd-cmd-params-cm.yaml', argo.argocdCmdParams(fleet)],
    ...clusterSecrets,
    ...(fleet.argocd.project !== 'default' ? [['app-project.yaml', argo.appProject(ctx)] as [string, K8sObject]] : []),
    ...(fleet.calisti.chart === 'oci' ? [['chart-repository.yaml', argo.chartRepositorySecret(ctx, sealed)] as [string, K8sObject]] : []),
    ...(argo.needsGitCredentials(fleet) ? [['git-repository.yaml', argo.gitRepositorySecret(fleet, sealed)] as [string, K8sObject]] : []),
    ...(fleet.sealedSecrets.install ? [['sealed-secrets.yaml', managementSealedSecretsApp(fleet)] as [string, K8sObject]] : []),
    ['root-app.yaml', argo.rootApp(fleet)],
  ];
  return [
    ...docs.map(([file, content]) => ({ path: `${BOOTSTRAP_DIR}/${file}`, content })),
    { path: `${BOOTSTRAP_DIR}/kustomization.yaml`, content: kustomization({ resources: docs.map(([f]) => f) }) },
  ];
};
