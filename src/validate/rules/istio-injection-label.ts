/**
 * namespace/istio-injection-label: Calisti runs revisioned Istio control planes, whose injection
 * webhooks select `istio.io/rev`; the `istio-injection` label does not inject there, and next to
 * `istio.io/rev` it even turns the revision's injection off (docs 2.7.2.8).
 */
import { finding, type Finding } from '../findings.js';
import { labelsOf, meta } from '../objects.js';
import type { MeshRule } from './types.js';
import { ofKind, where } from './view.js';

export const istioInjectionLabel: MeshRule = {
  id: 'namespace/istio-injection-label',
  cluster(view) {
    const out: Finding[] = [];
    const revisions = ofKind(view, 'IstioControlPlane', 'servicemesh.cisco.com').map((d) => `${meta(d.obj).name}.${meta(d.obj).namespace ?? 'istio-system'}`);
    for (const d of ofKind(view, 'Namespace')) {
      const labels = labelsOf(d.obj);
      const value = labels['istio-injection'];
      if (value === undefined || (value === 'disabled' && labels['istio.io/rev'] === undefined)) continue;
      const fix = `label it istio.io/rev=${revisions[0] ?? '<revision>'} instead (docs 2.7.2.8; calisti.yaml namespaces[] does this)`;
      out.push(
        finding(
          'namespace/istio-injection-label',
          labels['istio.io/rev'] !== undefined
            ? `istio-injection=${value} next to istio.io/rev=${labels['istio.io/rev']}: the revision's webhook skips namespaces with istio-injection, so no sidecar is injected; remove istio-injection`
            : `istio-injection=${value} does not inject sidecars under Calisti's revisioned control planes: ${fix}`,
          where(view, d),
        ),
      );
    }
    return out;
  },
};
