/**
 * destinationrule/enabled-mtls/missing-mesh-policy: a DestinationRule that makes clients use Istio mTLS
 * (ISTIO_MUTUAL) while no mesh policy enables mTLS for its host: no PeerAuthentication without a
 * selector in the Istio root namespace nor in the host's namespace, or the one that applies
 * disables it. `smm analyze` reports it as destinationrule/enabled-mtls/missing-mesh-policy
 * (docs 2.7.3).
 */
import { finding, type Finding } from '../findings.js';
import type { ClusterView, Deployed } from '../mesh.js';
import { DestinationRuleSpec, meta, PeerAuthenticationSpec, specOf } from '../objects.js';
import type { MeshRule } from './types.js';
import { ofKind, rootNamespaces, where } from './view.js';

const MUTUAL = 'ISTIO_MUTUAL';

/** Where the rule turns on ISTIO_MUTUAL: the traffic policy, a port's, a subset's. */
function mutualAt(spec: DestinationRuleSpec): string | undefined {
  const policies: [string, DestinationRuleSpec['trafficPolicy']][] = [['trafficPolicy', spec.trafficPolicy]];
  (spec.subsets ?? []).forEach((s, i) => policies.push([`subsets[${i}].trafficPolicy`, s?.trafficPolicy]));
  for (const [path, p] of policies) {
    if (p?.tls?.mode === MUTUAL) return `${path}.tls`;
    const port = (p?.portLevelSettings ?? []).findIndex((s) => s?.tls?.mode === MUTUAL);
    if (port >= 0) return `${path}.portLevelSettings[${port}].tls`;
  }
  return undefined;
}

/** The namespace of a DestinationRule's host: `name` is the rule's own, `name.ns.svc.cluster.local` names it. */
function hostNamespace(host: string, own: unknown): unknown {
  if (!host.includes('.')) return own;
  const m = /^[^.]+\.([^.]+)\.svc(\.cluster\.local)?$/.exec(host);
  return m?.[1];
}

function meshPolicy(view: ClusterView, namespace: unknown): Deployed | undefined {
  const wide = ofKind(view, 'PeerAuthentication', 'security.istio.io').filter((d) => !specOf(PeerAuthenticationSpec, d.obj).selector);
  const roots = rootNamespaces(view);
  // A namespace policy with mode UNSET inherits the mesh's.
  const own = wide.find((d) => meta(d.obj).namespace === namespace && (specOf(PeerAuthenticationSpec, d.obj).mtls?.mode ?? 'UNSET') !== 'UNSET');
  return (
    own ??
    wide.find((d) => {
      const ns = meta(d.obj).namespace;
      return typeof ns === 'string' && roots.has(ns);
    })
  );
}

export const missingMeshPolicy: MeshRule = {
  id: 'destinationrule/enabled-mtls/missing-mesh-policy',
  cluster(view) {
    const out: Finding[] = [];
    for (const d of ofKind(view, 'DestinationRule', 'networking.istio.io')) {
      const spec = specOf(DestinationRuleSpec, d.obj);
      const at = mutualAt(spec);
      if (!at) continue;
      const host = String(spec.host ?? '');
      const policy = meshPolicy(view, hostNamespace(host, meta(d.obj).namespace ?? 'default'));
      const mode = policy ? specOf(PeerAuthenticationSpec, policy.obj).mtls?.mode : undefined;
      if (policy && mode !== 'DISABLE') continue;
      const fix = "add a mesh policy (calisti.yaml policies.mtls: STRICT, or a PeerAuthentication without selector in the host's namespace)";
      out.push(
        finding(
          'destinationrule/enabled-mtls/missing-mesh-policy',
          policy
            ? `${at} sets ${MUTUAL} for host ${host}, but PeerAuthentication ${meta(policy.obj).namespace}/${meta(policy.obj).name} disables mTLS there (smm analyze: destinationrule/enabled-mtls/missing-mesh-policy)`
            : `${at} sets ${MUTUAL} for host ${host}, but no mesh policy enables mTLS on ${view.cluster} (smm analyze: destinationrule/enabled-mtls/missing-mesh-policy): ${fix}`,
          where(view, d),
        ),
      );
    }
    return out;
  },
};
