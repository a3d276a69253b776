/**
 * The shape of an application that is only a set of objects per cluster (mesh policies, SLOs): no
 * base, one file per object in each cluster's overlay, on the clusters that get any object.
 */
import type { Cluster } from '../../model/schema.js';
import { DESTINATION } from '../argocd.js';
import type { RenderContext } from '../context.js';
import { kustomization } from '../kustomize.js';
import type { K8sObject } from '../yaml.js';
import type { Files, GeneratedApp } from './types.js';

/** `<kind>-<namespace>-<name>.yaml`, lower case: unique within a cluster, as the model forbids duplicates per kind. */
const fileOf = (o: K8sObject) => `${o.kind.toLowerCase()}-${o.metadata?.namespace as string}-${o.metadata?.name as string}.yaml`;

export function objectsApp(name: string, wave: string, needs: string, objectsOn: (ctx: RenderContext, cluster: Cluster) => K8sObject[]): GeneratedApp {
  return {
    name,
    needs,
    appSetName: `${name}-appset`,
    appPrefix: name,
    wave,
    // Istio and SRE kinds: their CRDs come with the smm-operator chart and the control plane, in other syncs.
    syncOptions: ['SkipDryRunOnMissingResource=true'],
    clusters: (ctx) => ctx.fleet.clusters.filter((c) => objectsOn(ctx, c).length > 0),
    spec: (_ctx, overlay) => ({ source: overlay, destination: { name: DESTINATION } }),
    overlay({ ctx, cluster }) {
      const files: Files = objectsOn(ctx, cluster).map((o) => [fileOf(o), o]);
      return [...files, ['kustomization.yaml', kustomization({ resources: files.map(([f]) => f) })]];
    },
  };
}
