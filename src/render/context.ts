/** Values derived once from the model and its release blueprint, shared by every renderer. */
import { blueprintFor, defaultIstio, revisionLabel, revisionName, type Blueprint, type IstioRelease } from '../model/blueprint.js';
import type { Cluster, Fleet } from '../model/schema.js';

export interface RenderContext {
  fleet: Fleet;
  blueprint: Blueprint;
  istio: IstioRelease;
  /** `cp-v115x` */
  revision: string;
  /** `cp-v115x.istio-system` */
  revisionLabel: string;
  /** The registry pull secret the ControlPlane references (docs 2.3.5). */
  pullSecretName: string;
}

export function renderContext(fleet: Fleet): RenderContext {
  const blueprint = blueprintFor(fleet.calisti.version);
  const istio = defaultIstio(blueprint);
  const revision = revisionName(istio.version);
  return {
    fleet,
    blueprint,
    istio,
    revision,
    revisionLabel: revisionLabel(revision, fleet.istio.namespace),
    pullSecretName: `smm-${blueprint.registry.host}-pull-secret`,
  };
}

export const networkOf = (c: Cluster) => c.network ?? c.name;
export const image = (ctx: RenderContext, nameAndTag: string) => `${ctx.blueprint.registry.host}/${ctx.blueprint.registry.prefix}/${nameAndTag}`;
