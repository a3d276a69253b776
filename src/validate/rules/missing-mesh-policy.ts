/**
 * destinationrule/enabled-mtls/missing-mesh-policy: a DestinationRule that makes clients use Istio mTLS
 * (ISTIO_MUTUAL) while no mesh policy enables mTLS for its host: no PeerAuthentication without a
 * selector in the Istio root namespace nor in the host's namespace, or the one that applies
 * disables it. `smm analyze` reports it as destinationrule/enabled-mtls/missing-mesh-policy
 * (docs 2.7.3).
 */
import { finding, type Finding } from '../findings.js';
import type { ClusterView, Deployed } from '../mesh.js';
import type { MeshRule } from './types.js';
import { ofKind, rootNamespaces, where, type Obj } from './view.js';

const MUTUAL = 'ISTIO_MUTUAL';

/** Where the rule turns on ISTIO_MUTUAL: the traffic policy, a port's, a subset's. */
function mutualAt(spec: Obj): string | undefined {
  const policies: [string, Obj | undefined][] = [['trafficPolicy', spec.trafficPolicy]];
  (spec.subsets ?? []).forEach((s: Obj, i: number) => policies.push([`subsets[${i}].trafficPolicy`, s?.trafficPolicy]));
  for (const [path, p] of policies) {
    if (p?.tls?.mode === MUTUAL) return `${path}.tls`;
    const port = (p?.portLevelSettings ?? []).findIndex((s: Obj) => s?.tls?.mode === MUTUAL);
    if (port >= 0) return `${path}.portLevelSettings[${port}].tls`;
  }
  return undefined;
}

/** The namespace of a DestinationRule's host: `name` is the rule's own, `name.ns.svc.cluster.local` names it. */
function hostNamespace(host: string, own: string): string | undefined {
  if (!host.includes('.')) return own;
  const m = /^[^.]+\.([^.]+)\.svc(\.cluster\.local)?$/.exec(host);
  return m?.[1];
}

function meshPolicy(view: ClusterView, namespace: string | undefined): Deployed | undefined {
  const wide = ofKind(view, 'PeerAuthentication', 'security.istio.io').filter((d) => !d.obj.spec?.selector);
  const roots = rootNamespaces(view);
  // A namespace policy with mode UNSET inherits the mesh's.
  const own = wide.find((d) => d.obj.metadata?.namespace === namespace && (d.obj.spec?.mtls?.mode ?? 'UNSET') !== 'UNSET');
  return own ?? wide.find((d) => roots.has(d.obj.metadata?.namespace));
}

export const missingMeshPolicy: MeshRule = {
  id: 'destinationrule/enabled-mtls/missing-mesh-policy',
  cluster(view) {
    const out: Finding[] = [];
    for (const d of ofKind(view, 'DestinationRule', 'networking.istio.io')) {
      const at = mutualAt(d.obj.spec ?? {});
      if (!at) continue;
      const host = String(d.obj.spec?.host ?? '');
      const policy = meshPolicy(view, hostNamespace(host, d.obj.metadata?.namespace ?? 'default'));
      const mode = policy?.obj.spec?.mtls?.mode;
      if (policy && mode !== 'DISABLE') continue;
      const fix = "add a mesh policy (calisti.yaml policies.mtls: STRICT, or a PeerAuthentication without selector in the host's namespace)";
      out.push(
        finding(
          'destinationrule/enabled-mtls/missing-mesh-policy',
          policy
            ? `${at} sets ${MUTUAL} for host ${host}, but PeerAuthentication ${policy.obj.metadata.namespace}/${policy.obj.metadata.name} disables mTLS there (smm analyze: destinationrule/enabled-mtls/missing-mesh-policy)`
            : `${at} sets ${MUTUAL} for host ${host}, but no mesh policy enables mTLS on ${view.cluster} (smm analyze: destinationrule/enabled-mtls/missing-mesh-policy): ${fix}`,
          where(view, d),
        ),
      );
    }
    return out;
  },
};
