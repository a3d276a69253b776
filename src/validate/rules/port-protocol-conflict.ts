/**
 * gateway/port/protocol-conflict: Gateways that configure the same gateway pods declare one port
 * with different protocols; Istio accepts each Gateway, and one of them silently loses. Reported on
 * every Gateway involved, as `smm analyze` does (docs 2.7.3).
 */
import { finding, type Finding } from '../findings.js';
import type { Deployed } from '../mesh.js';
import { GatewaySpec, specOf } from '../objects.js';
import { gatewaysSharingPods } from './gateway-workloads.js';
import type { MeshRule } from './types.js';
import { nameOf, where } from './view.js';

const ports = (d: Deployed) =>
  new Map<unknown, string>((specOf(GatewaySpec, d.obj).servers ?? []).map((s) => [s?.port?.number, String(s?.port?.protocol ?? '').toUpperCase()]));

export const portProtocolConflict: MeshRule = {
  id: 'gateway/port/protocol-conflict',
  cluster(view) {
    const out: Finding[] = [];
    for (const [a, b] of gatewaysSharingPods(view)) {
      const pb = ports(b);
      for (const [port, protocol] of ports(a)) {
        const other = pb.get(port);
        if (other === undefined || other === protocol) continue;
        out.push(
          finding(
            'gateway/port/protocol-conflict',
            `port ${port} is ${protocol} here but ${other} in Gateway ${nameOf(b.obj)}, which configures the same gateway pods`,
            where(view, a),
          ),
        );
        out.push(
          finding(
            'gateway/port/protocol-conflict',
            `port ${port} is ${other} here but ${protocol} in Gateway ${nameOf(a.obj)}, which configures the same gateway pods`,
            where(view, b),
          ),
        );
      }
    }
    return out;
  },
};
