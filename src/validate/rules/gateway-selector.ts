/**
 * gateway/selector-unmatched: a Gateway whose selector selects no gateway the cluster receives (no
 * IstioMeshGateway, Deployment, StatefulSet or DaemonSet carries its labels): its servers configure
 * nothing (docs 2.7.3, selectors that resolve to nothing).
 */
import { finding, type Finding } from '../findings.js';
import { GatewaySpec, specOf } from '../objects.js';
import { podLabels } from './gateway-workloads.js';
import type { MeshRule } from './types.js';
import { ofKind, selects, where } from './view.js';

export const gatewaySelector: MeshRule = {
  id: 'gateway/selector-unmatched',
  cluster(view) {
    const out: Finding[] = [];
    const pods = podLabels(view);
    for (const d of ofKind(view, 'Gateway', 'networking.istio.io')) {
      const selector = specOf(GatewaySpec, d.obj).selector ?? {};
      if (Object.keys(selector).length === 0 || pods.some((p) => selects(selector, p.labels))) continue;
      const labels = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      out.push(
        finding(
          'gateway/selector-unmatched',
          `selector ${labels} selects no gateway on ${view.cluster}: declare the gateway in calisti.yaml gateways[] (or fix the selector)`,
          where(view, d),
        ),
      );
    }
    return out;
  },
};
