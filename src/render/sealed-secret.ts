/** SealedSecret objects as kubeseal writes them, with the scope annotations where it puts them. */
import type { SealedEntry } from '../secrets/store.js';
import type { K8sObject } from './yaml.js';

export const SCOPE_ANNOTATION = {
  'namespace-wide': 'sealedsecrets.bitnami.com/namespace-wide',
  'cluster-wide': 'sealedsecrets.bitnami.com/cluster-wide',
} as const;

export function sealedSecret(e: SealedEntry, extra: { annotations?: Record<string, string>; labels?: Record<string, string> } = {}): K8sObject {
  const scope = e.scope === 'strict' ? {} : { [SCOPE_ANNOTATION[e.scope]]: 'true' };
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { annotations: { ...extra.annotations, ...scope }, name: e.name, namespace: e.namespace },
    spec: {
      encryptedData: Object.fromEntries(Object.entries(e.encryptedData).sort(([a], [b]) => (a < b ? -1 : 1))),
      template: {
        metadata: {
          ...(Object.keys(scope).length ? { annotations: scope } : {}),
          ...(extra.labels ? { labels: extra.labels } : {}),
          name: e.name,
          namespace: e.namespace,
        },
        type: e.type,
      },
    },
  };
}
