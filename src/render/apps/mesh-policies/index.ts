/**
 * mesh-policies: the fleet's traffic and security policies (mTLS, DestinationRules,
 * AuthorizationPolicies, Sidecars, ServiceEntries), each on the clusters it names. Synced after
 * the demo app so the namespaces the policies live in exist.
 */
import { placedOn } from '../../../model/membership.js';
import type { Cluster } from '../../../model/schema.js';
import type { RenderContext } from '../../context.js';
import type { K8sObject } from '../../yaml.js';
import { objectsApp } from '../objects-app.js';
import type { GeneratedApp } from '../types.js';
import { authorizationPolicy, destinationRule, meshPeerAuthentication, peerAuthentication, serviceEntry, sidecar } from './policies.js';

const NAME = 'mesh-policies';

/** Every policy object for one cluster, in model order. */
function objectsOn(ctx: RenderContext, cluster: Cluster): K8sObject[] {
  const p = ctx.fleet.policies;
  const here = <T extends { clusters?: string[] | undefined }>(list: T[]) => placedOn(list, cluster.name, 'all');
  return [
    ...(p.mtls ? [meshPeerAuthentication(p.mtls, ctx.fleet.istio.namespace)] : []),
    ...here(p.peerAuthentications).map(peerAuthentication),
    ...here(p.destinationRules).map(destinationRule),
    ...here(p.authorizationPolicies).map(authorizationPolicy),
    ...here(p.sidecars).map(sidecar),
    ...here(p.serviceEntries).map(serviceEntry),
  ];
}

export const meshPolicies: GeneratedApp = objectsApp(NAME, '3', 'Istio on every cluster and the namespaces the policies live in', objectsOn);
