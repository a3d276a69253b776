/**
 * mesh-policies: the fleet's traffic and security policies (mTLS, DestinationRules,
 * AuthorizationPolicies, Sidecars, ServiceEntries), each on the clusters it names. Synced after
 * the demo app so the namespaces the policies live in exist.
 */
import type { Cluster } from '../../../model/schema.js';
import type { RenderContext } from '../../context.js';
import { kustomization } from '../../kustomize.js';
import type { K8sObject } from '../../yaml.js';
import type { Files, GeneratedApp } from '../types.js';
import { authorizationPolicy, destinationRule, meshPeerAuthentication, peerAuthentication, serviceEntry, sidecar } from './policies.js';

const NAME = 'mesh-policies';

/** Every policy object for one cluster, in model order. */
function objectsOn(ctx: RenderContext, cluster: Cluster): K8sObject[] {
  const p = ctx.fleet.policies;
  const here = <T extends { clusters?: string[] | undefined }>(list: T[]) => list.filter((o) => !o.clusters || o.clusters.includes(cluster.name));
  return [
    ...(p.mtls ? [meshPeerAuthentication(p.mtls, ctx.fleet.istio.namespace)] : []),
    ...here(p.peerAuthentications).map(peerAuthentication),
    ...here(p.destinationRules).map(destinationRule),
    ...here(p.authorizationPolicies).map(authorizationPolicy),
    ...here(p.sidecars).map(sidecar),
    ...here(p.serviceEntries).map(serviceEntry),
  ];
}

/** `<kind>-<namespace>-<name>.yaml`, lower case: unique within a cluster, as the model forbids duplicates per kind. */
const fileOf = (o: K8sObject) => `${o.kind.toLowerCase()}-${o.metadata?.namespace as string}-${o.metadata?.name as string}.yaml`;

export const meshPolicies: GeneratedApp = {
  name: NAME,
  appSetName: `${NAME}-appset`,
  appPrefix: NAME,
  wave: '3',
  clusters: (ctx) => ctx.fleet.clusters.filter((c) => objectsOn(ctx, c).length > 0),
  spec: (_ctx, overlay) => ({ source: overlay, destination: { name: '{{cluster}}' } }),
  overlay({ ctx, cluster }) {
    const files: Files = objectsOn(ctx, cluster).map((o) => [fileOf(o), o]);
    return [...files, ['kustomization.yaml', kustomization({ resources: files.map(([f]) => f) })]];
  },
};
