/**
 * gateway/reused-cert: Gateways that configure the same gateway pods use one TLS certificate;
 * browsers reuse the HTTP/2 connection for the second host and get 404s. Reported on every
 * Gateway involved, as an error, as `smm analyze` counts it (docs 2.7.3).
 */
import { finding, type Finding } from '../findings.js';
import type { Deployed } from '../mesh.js';
import { GatewaySpec, specOf } from '../objects.js';
import { gatewaysSharingPods } from './gateway-workloads.js';
import type { MeshRule } from './types.js';
import { nameOf, where } from './view.js';

const certs = (d: Deployed) =>
  new Set<string>((specOf(GatewaySpec, d.obj).servers ?? []).map((s) => s?.tls?.credentialName).filter((c): c is string => typeof c === 'string'));

export const reusedCert: MeshRule = {
  id: 'gateway/reused-cert',
  cluster(view) {
    const out: Finding[] = [];
    for (const [a, b] of gatewaysSharingPods(view)) {
      const cb = certs(b);
      for (const cert of certs(a)) {
        if (!cb.has(cert)) continue;
        out.push(
          finding(
            'gateway/reused-cert',
            `certificate "${cert}" is also used by Gateway ${nameOf(b.obj)} on the same gateway pods: give each Gateway its own certificate`,
            where(view, a),
          ),
        );
        out.push(
          finding(
            'gateway/reused-cert',
            `certificate "${cert}" is also used by Gateway ${nameOf(a.obj)} on the same gateway pods: give each Gateway its own certificate`,
            where(view, b),
          ),
        );
      }
    }
    return out;
  },
};
