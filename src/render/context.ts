/** Values derived once from the model and its release blueprint, shared by every renderer. */
import { blueprintFor, defaultIstio, revisionLabel, revisionName, type Blueprint, type IstioRelease } from '../model/blueprint.js';
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
}

export function renderContext(fleet: Fleet): RenderContext {
  const blueprint = blueprintFor(fleet.calisti.version);
  const istio = defaultIstio(blueprint);
  const revision = revisionName(istio.version);
  const ns = fleet.istio.namespace;
  const extra = fleet.istio.revisions.map((name) => {
    const release = blueprint.istio.versions.find((v) => revisionName(v.version) === name);
    if (!release) throw new Error(`internal: ${name} not shipped by ${blueprint.calisti}`);
    return { name, label: revisionLabel(name, ns), istio: release };
  });
  return {
    fleet,
    blueprint,
    istio,
    revision,
    revisionLabel: revisionLabel(revision, ns),
    revisions: [{ name: revision, label: revisionLabel(revision, ns), istio }, ...extra],
    pullSecretName: `smm-${blueprint.registry.host}-pull-secret`,
  };
}

/** The label of the control plane a workload names, or of the release's own. */
export const labelOf = (ctx: RenderContext, revision: string | undefined) => revisionLabel(revision ?? ctx.revision, ctx.fleet.istio.namespace);

export const networkOf = (c: Cluster) => c.network ?? c.name;
export const image = (ctx: RenderContext, nameAndTag: string) => `${ctx.blueprint.registry.host}/${ctx.blueprint.registry.prefix}/${nameAndTag}`;
