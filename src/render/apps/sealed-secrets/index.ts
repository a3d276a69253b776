/**
 * sealed-secrets: the controller that unseals this repo's SealedSecrets, on every cluster, in the
 * wave before the applications that carry SealedSecrets (the registry pull secret). Only a chart:
 * no overlay. The management cluster's controller is in bootstrap/ (../../bootstrap.ts).
 */
import type { Fleet } from '../../../model/schema.js';
import { DESTINATION, FINALIZER, syncPolicy } from '../../argocd.js';
import { IN_CLUSTER, ROOT_APP } from '../../layout.js';
import type { K8sObject } from '../../yaml.js';
import type { GeneratedApp } from '../types.js';

const NAME = 'sealed-secrets';
/** kubeseal's defaults (--controller-name, --controller-namespace), so `kubeseal --fetch-cert` finds it. */
export const SEALED_SECRETS_CONTROLLER = { name: 'sealed-secrets-controller', namespace: 'kube-system' } as const;

/** The upstream chart, pinned to the model's version. */
export function sealedSecretsChart(fleet: Fleet): Record<string, unknown> {
  return {
    repoURL: 'https://bitnami-labs.github.io/sealed-secrets',
    chart: NAME,
    targetRevision: fleet.sealedSecrets.version,
    helm: { releaseName: SEALED_SECRETS_CONTROLLER.name, parameters: [{ name: 'fullnameOverride', value: SEALED_SECRETS_CONTROLLER.name }] },
  };
}

/**
 * The management cluster's controller, applied with bootstrap/: it must run before anything there
 * can be sealed (`kubeseal --fetch-cert` asks it for its certificate).
 */
export function managementSealedSecretsApp(fleet: Fleet): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `${ROOT_APP}-${NAME}`, namespace: fleet.argocd.namespace, finalizers: [FINALIZER] },
    spec: {
      project: fleet.argocd.project,
      source: sealedSecretsChart(fleet),
      destination: { server: IN_CLUSTER, namespace: SEALED_SECRETS_CONTROLLER.namespace },
      syncPolicy: syncPolicy(fleet, ['CreateNamespace=true']),
    },
  };
}

export const sealedSecrets: GeneratedApp = {
  name: NAME,
  appSetName: `${NAME}-appset`,
  appPrefix: NAME,
  wave: '-1',
  needs: 'nothing',
  clusters: ({ fleet }) => (fleet.sealedSecrets.install ? fleet.clusters : []),
  spec: ({ fleet }) => ({ source: sealedSecretsChart(fleet), destination: { name: DESTINATION, namespace: SEALED_SECRETS_CONTROLLER.namespace } }),
};
