/**
 * controlplane/multiple-active: only one Service Mesh Manager control plane of a mesh is active,
 * every other one passive (docs 2.7.1); a passive SMM may still run on a primary Istio cluster
 * (an ACTIVE IstioControlPlane).
 */
import { finding, type Finding } from '../findings.js';
import { ControlPlaneSpec, specOf } from '../objects.js';
import type { MeshRule } from './types.js';
import { ofKind, where } from './view.js';

const MAX_NAMED = 5;

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
    // Each active control plane gets a finding: its message names a few, never the whole fleet
    // (10,000 findings each listing 7,500 clusters would be gigabytes).
    const named =
      clusters.length <= MAX_NAMED ? clusters.join(', ') : `${clusters.slice(0, MAX_NAMED - 1).join(', ')} and ${clusters.length - MAX_NAMED + 1} more`;
    return active.map(
      ({ v, d }): Finding =>
        finding(
          'controlplane/multiple-active',
          `${active.length} active Service Mesh Manager control planes (${named}); only one may be active, the others passive (docs 2.7.1): set role: passive in calisti.yaml for all but one, and keep a primary Istio cluster with overrides.istioControlPlane.mode: ACTIVE`,
          where(v, d),
        ),
    );
  },
};
