/** What the mesh rules ask of a cluster's resources: objects of a kind, and where to report. */
import { resourceRef } from '../findings.js';
import type { ClusterView, Deployed } from '../mesh.js';
import { meta, type KubeObject } from '../objects.js';

/** A resource as the rules get it: read its spec through its kind's schema (../objects.ts `specOf`). */
export type Obj = KubeObject;

export const isKind = (o: Obj, kind: string, group?: string) => o.kind === kind && (!group || String(o.apiVersion).startsWith(`${group}/`));

export const ofKind = (view: ClusterView, kind: string, group?: string): Deployed[] => view.resources.filter((d) => isKind(d.obj, kind, group));

export const where = (view: ClusterView, d: Deployed) => ({
  cluster: view.cluster,
  application: d.application,
  resource: resourceRef(d.obj),
  file: d.file,
  line: d.line,
});

export const nameOf = (o: Obj) => `${meta(o).namespace ?? 'default'}/${meta(o).name}`;

/** The Istio root namespace of a cluster: where its IstioControlPlane lives (mesh-wide policies go there). */
export const rootNamespaces = (view: ClusterView): Set<string> => {
  const icps = ofKind(view, 'IstioControlPlane', 'servicemesh.cisco.com');
  return new Set(icps.length ? icps.map((d) => String(meta(d.obj).namespace ?? 'istio-system')) : ['istio-system']);
};

/** Every label of `selector` is on `labels`; an empty selector selects everything. */
export const selects = (selector: Obj, labels: Obj) => Object.entries(selector).every(([k, v]) => labels[k] === v);
