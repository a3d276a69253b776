/**
 * controlplane/multiple-active: only one Service Mesh Manager control plane of a mesh is active,
 * every other one passive (docs 2.7.1); a passive SMM may still run on a primary Istio cluster
 * (an ACTIVE IstioControlPlane).
 */
import { finding, type Finding } from '../findings.js';
import { ControlPlaneSpec, specOf } from '../objects.js';
import type { MeshRule } from './types.js';
import { ofKind, where } from './view.js';

export const multipleActive: MeshRule = {
  id: 'controlplane/multiple-active',
  fleetKinds: ['ControlPlane'],
  fleet(views) {
    const active = views.flatMap((v) =>
      ofKind(v, 'ControlPlane', 'smm.cisco.com')
        .filter((d) => (specOf(ControlPlaneSpec, d.obj).role ?? 'active') === 'active')
        .map((d) => ({ v, d })),
    );
    if (active.length < 2) return [];
    const clusters = active.map(({ v }) => v.cluster);
    return active.map(
      ({ v, d }): Finding =>
        finding(
          'controlplane/multiple-active',
          `${active.length} active Service Mesh Manager control planes (${clusters.join(', ')}); only one may be active, the others passive (docs 2.7.1): set role: passive in calisti.yaml for all but one, and keep a primary Istio cluster with overrides.istioControlPlane.mode: ACTIVE`,
          where(v, d),
        ),
    );
  },
};
