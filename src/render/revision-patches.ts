/**
 * Patches an overlay carries while an Istio migration rolls out cluster by cluster
 * (clusterRevisions in the model): the shared namespace and gateway files name the fleet's control
 * plane, and a cluster already moved (or not yet) gets its own on top.
 */
import type { K8sObject } from './yaml.js';

/** A namespace's istio.io/rev label, for this cluster. */
export const namespaceRevisionPatch = (name: string, label: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { labels: { 'istio.io/rev': label }, name },
});

/** The control plane an IstioMeshGateway runs on, for this cluster. */
export const meshGatewayRevisionPatch = (gw: { name: string; namespace: string }, revision: string, istioNamespace: string): K8sObject => ({
  apiVersion: 'servicemesh.cisco.com/v1alpha1',
  kind: 'IstioMeshGateway',
  metadata: { name: gw.name, namespace: gw.namespace },
  spec: { istioControlPlane: { name: revision, namespace: istioNamespace } },
});
