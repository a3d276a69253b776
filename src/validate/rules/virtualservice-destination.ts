/**
 * virtualservice/destination-unknown: a VirtualService routes to a host that resolves to no Service
 * anywhere in the mesh and to no ServiceEntry (docs 2.7.3: destinations that resolve to nothing).
 * Services come from what the fleet deploys: Services, IstioMeshGateways (a Service named after the
 * gateway) and DemoApplications (one per enabled component). A cluster-local host in a namespace
 * where the repo deploys no Service is not judged: something else may own it.
 */
import { finding, type Finding } from '../findings.js';
import type { ClusterView } from '../mesh.js';
import { DemoApplicationSpec, meta, ServiceEntrySpec, specOf, VirtualServiceSpec } from '../objects.js';
import type { MeshRule } from './types.js';
import { ofKind, where } from './view.js';

const LOCAL = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/;

/** Istio's reading of a destination host: a short name is in the VirtualService's namespace. */
const fqdn = (host: string, namespace: unknown) => (host.includes('.') ? host : `${host}.${namespace}.svc.cluster.local`);

/** Services by namespace across the fleet, and the ServiceEntry hosts. */
function registry(views: ClusterView[]): { services: Map<string, Set<unknown>>; entries: unknown[] } {
  const services = new Map<string, Set<unknown>>();
  const add = (ns: string, name: unknown) => services.set(ns, (services.get(ns) ?? new Set()).add(name));
  const entries: unknown[] = [];
  for (const v of views) {
    for (const { obj } of v.resources) {
      const ns = String(meta(obj).namespace ?? 'default');
      if (obj.kind === 'Service' && obj.apiVersion === 'v1') add(ns, meta(obj).name);
      else if (obj.kind === 'IstioMeshGateway') add(ns, meta(obj).name);
      else if (obj.kind === 'DemoApplication') {
        const components = specOf(DemoApplicationSpec, obj).enabledComponents;
        if (Array.isArray(components)) components.forEach((c) => add(ns, c));
      } else if (obj.kind === 'ServiceEntry') entries.push(...(specOf(ServiceEntrySpec, obj).hosts ?? []));
    }
  }
  return { services, entries };
}

const matchesEntry = (host: string, entry: unknown) => entry === host || (typeof entry === 'string' && entry.startsWith('*.') && host.endsWith(entry.slice(1)));

/** Every destination of a VirtualService's http, tcp and tls routes, with its path. */
function destinations(spec: VirtualServiceSpec): [string, string][] {
  const out: [string, string][] = [];
  for (const kind of ['http', 'tcp', 'tls'] as const) {
    (spec[kind] ?? []).forEach((r, i) => {
      (r?.route ?? []).forEach((d, j) => d?.destination?.host && out.push([`${kind}[${i}].route[${j}]`, String(d.destination.host)]));
      if (r?.mirror?.host) out.push([`${kind}[${i}].mirror`, String(r.mirror.host)]);
    });
  }
  return out;
}

export const virtualServiceDestination: MeshRule = {
  id: 'virtualservice/destination-unknown',
  fleetKinds: ['VirtualService', 'Service', 'IstioMeshGateway', 'DemoApplication', 'ServiceEntry'],
  fleet(views) {
    const { services, entries } = registry(views);
    const out: Finding[] = [];
    for (const v of views) {
      for (const d of ofKind(v, 'VirtualService', 'networking.istio.io')) {
        for (const [path, host] of destinations(specOf(VirtualServiceSpec, d.obj))) {
          const full = fqdn(host, meta(d.obj).namespace ?? 'default');
          if (entries.some((e) => matchesEntry(full, e) || matchesEntry(host, e))) continue;
          const local = LOCAL.exec(full);
          if (local) {
            const known = services.get(local[2]!);
            if (!known || known.has(local[1]!)) continue;
            out.push(
              finding(
                'virtualservice/destination-unknown',
                `${path} routes to ${host}, but no cluster of the fleet has a Service ${local[1]} in namespace ${local[2]} (there: ${[...known].sort().join(', ')})`,
                where(v, d),
              ),
            );
          } else {
            out.push(
              finding(
                'virtualservice/destination-unknown',
                `${path} routes to ${host}, which is neither a cluster-local Service nor the host of a ServiceEntry: add one (calisti.yaml policies.serviceEntries) or write the host as <service>.<namespace>.svc.cluster.local`,
                where(v, d),
              ),
            );
          }
        }
      }
    }
    return out;
  },
};
