/** Values derived once from the model and its release blueprint, shared by every renderer. */
import { blueprintFor, defaultIstio, revisionLabel, revisionName, type Blueprint, type IstioRelease } from '../model/blueprint.js';
import { runningRevisions, versionOf, versionsInUse } from '../model/rings.js';
import type { Cluster, Fleet } from '../model/schema.js';

export interface ControlPlaneRevision {
  /** `cp-v115x` */
  name: string;
  /** `cp-v115x.istio-system` */
  label: string;
  istio: IstioRelease;
}

export interface RenderContext {
  fleet: Fleet;
  blueprint: Blueprint;
  /** The release's own Istio: what the ControlPlane and new workloads use. */
  istio: IstioRelease;
  /** `cp-v115x` */
  revision: string;
  /** `cp-v115x.istio-system` */
  revisionLabel: string;
  /** Every control plane that runs: the release's own first, then older ones kept for migration. */
  revisions: ControlPlaneRevision[];
  /** The registry pull secret the ControlPlane references (docs 2.3.5). */
  pullSecretName: string;
  /** Some ring runs another release than calisti.version (an upgrade rolling out). */
  mixedReleases: boolean;
  /** The context of the release this cluster runs (its ring's). */
  forCluster(cluster: string): RenderContext;
}

export function renderContext(fleet: Fleet, version: string = fleet.calisti.version, contexts = new Map<string, RenderContext>()): RenderContext {
  const blueprint = blueprintFor(version);
  const istio = defaultIstio(blueprint);
  const revision = revisionName(istio.version);
  const ns = fleet.istio.namespace;
  const extra = runningRevisions(revision, fleet.istio.revisions)
    .slice(1)
    .map((name) => {
      const release = blueprint.istio.versions.find((v) => revisionName(v.version) === name);
      if (!release) throw new Error(`internal: ${name} not shipped by ${blueprint.calisti}`);
      return { name, label: revisionLabel(name, ns), istio: release };
    });
  const ctx: RenderContext = {
    fleet,
    blueprint,
    istio,
    revision,
    revisionLabel: revisionLabel(revision, ns),
    revisions: [{ name: revision, label: revisionLabel(revision, ns), istio }, ...extra],
    pullSecretName: `smm-${blueprint.registry.host}-pull-secret`,
    mixedReleases: versionsInUse(fleet).length > 1,
    forCluster(cluster) {
      const v = versionOf(fleet, cluster);
      if (!contexts.has(v)) contexts.set(v, renderContext(fleet, v, contexts));
      return contexts.get(v)!;
    },
  };
  if (!contexts.has(version)) contexts.set(version, ctx);
  return ctx;
}

/** The label of the control plane a workload names, or of the release's own. */
export const labelOf = (ctx: RenderContext, revision: string | undefined) => revisionLabel(revision ?? ctx.revision, ctx.fleet.istio.namespace);

export const networkOf = (c: Cluster) => c.network ?? c.name;
export const image = (ctx: RenderContext, nameAndTag: string) => `${ctx.blueprint.registry.host}/${ctx.blueprint.registry.prefix}/${nameAndTag}`;
