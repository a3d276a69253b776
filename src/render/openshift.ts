/**
 * What a namespace with Istio sidecars needs on OpenShift (docs 2.3.8): a NetworkAttachmentDefinition
 * so Multus invokes istio-cni for its pods, and the nonroot-v2 SCC for its service accounts, since
 * istio-proxy runs as UID/GID 1337, outside the namespace's default range.
 */
import type { RenderContext } from './context.js';
import { SYNC_WAVE, WAVE } from './layout.js';
import type { K8sObject } from './yaml.js';

/** The istio-cni attachment of one control plane revision in one namespace. */
export function cniAttachment(ctx: RenderContext, namespace: string, revision: string | undefined): K8sObject {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: {
      name: `istio-cni-${revision ?? ctx.revision}-${ctx.fleet.istio.namespace}`,
      namespace,
      annotations: { [SYNC_WAVE]: WAVE.namespaceSetup },
    },
  };
}

/** Every service account of the namespace may use the nonroot-v2 SCC (`oc adm policy add-scc-to-group`, namespaced). */
export function nonrootSccBinding(namespace: string): K8sObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { annotations: { [SYNC_WAVE]: WAVE.namespaceSetup }, name: 'istio-proxy-scc-nonroot-v2', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:nonroot-v2' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `system:serviceaccounts:${namespace}` }],
  };
}
