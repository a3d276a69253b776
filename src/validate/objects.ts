/**
 * How validate reads objects others wrote (manifests, kustomize and helm output, Argo CD objects):
 * a generic object is a record of unknown values. Every object of every cluster is read through the
 * cheap accessors below (kind, metadata); a check that looks into one kind reads that kind's spec
 * through its schema, which names only the fields the checks read and keeps the rest. A field that
 * is not the shape it should have reads as absent, as an optional property read did: the schema
 * checks report malformed objects, the rules only skip what they cannot read.
 */
import { z } from 'zod';
import { isObj, type Obj } from '../objects.js';

/** An object from a manifest: any fields, none trusted. */
export type KubeObject = Obj;

/** `v` when it is a map, else an empty one. */
export const asMap = (v: unknown): Obj => (isObj(v) ? v : {});

/** `metadata`, or an empty map. */
export const meta = (o: Obj): Obj => asMap(o.metadata);
export const labelsOf = (o: Obj): Obj => asMap(meta(o).labels);
export const annotationsOf = (o: Obj): Obj => asMap(meta(o).annotations);
/** `metadata.name` as findings carry it: text, or undefined when there is none. */
export const metaName = (o: Obj): string | undefined => {
  const name = meta(o).name;
  return name === undefined || name === null ? undefined : String(name);
};

/** A field read as it is. Optional: zod 4 rejects a missing key unless its schema is optional, even `z.unknown()`. */
export const field = z.unknown().optional();
/** A map: named fields read through their schemas, other keys kept; anything else is absent. */
export const map = <S extends z.core.$ZodLooseShape>(shape: S) => z.preprocess((v) => (isObj(v) ? v : undefined), z.looseObject(shape).optional());
/** A list: anything else is absent (items read through `item`: a `map` item that is not a map is absent). */
export const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (Array.isArray(v) ? v : undefined), z.array(item).optional());
/** A label or selector map; its values are not trusted either. */
const stringMap = z.preprocess((v) => (isObj(v) ? v : undefined), z.record(z.string(), field).optional());

/** Specs already read, per schema: several rules read the same kinds on every cluster. */
const specs = new WeakMap<z.ZodType, WeakMap<Obj, unknown>>();

/** `spec` of `o` read through `schema` (a spec that is not a map reads as `{}`); the schemas here accept any input. */
export function specOf<S extends z.ZodType<object>>(schema: S, o: Obj): z.infer<S> {
  if (!isObj(o.spec)) return schema.parse({});
  let read = specs.get(schema);
  if (!read) specs.set(schema, (read = new WeakMap()));
  if (!read.has(o.spec)) read.set(o.spec, schema.parse(o.spec));
  return read.get(o.spec) as z.infer<S>;
}

const ref = map({ name: field, namespace: field });

// Argo CD (argoproj.io/v1alpha1) --------------------------------------------------------------------

/** One source of an Application: where it comes from and how Argo CD renders it. */
export const AppSource = z.looseObject({
  repoURL: field,
  path: field,
  chart: field,
  targetRevision: field,
  kustomize: map({}),
  helm: map({
    releaseName: field,
    valueFiles: list(field),
    parameters: list(map({ name: field, value: field, forceString: field })),
    fileParameters: list(map({ name: field, path: field })),
    values: field,
    valuesObject: field,
  }),
});
export type AppSource = z.infer<typeof AppSource>;

export const AppSpec = z.looseObject({
  source: map(AppSource.shape),
  sources: list(map(AppSource.shape)),
  destination: map({ name: field, server: field, namespace: field }),
});
export type AppSpec = z.infer<typeof AppSpec>;

const SOURCE_FIELDS = Object.keys(AppSource.shape);

/**
 * An Application's sources as written, those that are maps: `spec.sources`, else `spec.source`. Their
 * `repoURL`, `path` and `chart` are what AppSource reads (it keeps those fields as they are).
 */
export function writtenSources(app: Obj): Obj[] {
  const spec = asMap(app.spec);
  const raw: unknown[] = Array.isArray(spec.sources) ? spec.sources : spec.source === undefined ? [] : [spec.source];
  return raw.filter(isObj);
}

/** An Application's sources: `spec.sources`, else `spec.source`. */
export function appSources(app: Obj): AppSource[] {
  const raw = writtenSources(app);
  // Read by hand when every source is plain (no helm block, kustomize options a map or absent):
  // what AppSource gives for those, without a schema pass per Application; else the schema.
  const plain: AppSource[] = [];
  for (const v of raw) {
    if (v.helm !== undefined || (v.kustomize !== undefined && !isObj(v.kustomize))) {
      const parsed = specOf(AppSpec, app);
      return (parsed.sources ?? (parsed.source ? [parsed.source] : [])).filter((s): s is AppSource => s !== undefined);
    }
    // The schema's fields first, in its order, then the others as written.
    const out: AppSource = {};
    for (const k of SOURCE_FIELDS) if (Object.hasOwn(v, k)) out[k] = k === 'kustomize' && isObj(v.kustomize) ? { ...v.kustomize } : v[k];
    for (const k of Object.keys(v)) if (!SOURCE_FIELDS.includes(k)) out[k] = v[k];
    plain.push(out);
  }
  return plain;
}

// Calisti (servicemesh.cisco.com, smm.cisco.com) -------------------------------------------------

export const IstioControlPlaneSpec = z.looseObject({ mode: field, version: field, meshID: field, networkName: field });
export type IstioControlPlaneSpec = z.infer<typeof IstioControlPlaneSpec>;
export const IstioMeshGatewaySpec = z.looseObject({
  istioControlPlane: ref,
  type: field,
  deployment: map({ metadata: map({ labels: stringMap }) }),
});
export type IstioMeshGatewaySpec = z.infer<typeof IstioMeshGatewaySpec>;
export const ControlPlaneSpec = z.looseObject({
  role: field,
  clusterName: field,
  meshManager: map({ istio: map({ istioCRRef: ref }) }),
  smm: map({ istio: map({ revision: field }) }),
});
export type ControlPlaneSpec = z.infer<typeof ControlPlaneSpec>;
export const DemoApplicationSpec = z.looseObject({
  istio: map({ revision: field }),
  controlPlaneRef: ref,
  enabledComponents: field,
});
export type DemoApplicationSpec = z.infer<typeof DemoApplicationSpec>;

// Istio (networking.istio.io, security.istio.io) --------------------------------------------------

const tls = map({ mode: field });
const trafficPolicy = map({ tls, portLevelSettings: list(map({ tls })) });
export const DestinationRuleSpec = z.looseObject({ host: field, trafficPolicy, subsets: list(map({ trafficPolicy })) });
export type DestinationRuleSpec = z.infer<typeof DestinationRuleSpec>;
export const PeerAuthenticationSpec = z.looseObject({ selector: field, mtls: map({ mode: field }) });
export type PeerAuthenticationSpec = z.infer<typeof PeerAuthenticationSpec>;
export const GatewaySpec = z.looseObject({
  selector: stringMap,
  servers: list(map({ port: map({ number: field, protocol: field }), tls: map({ credentialName: field }) })),
});
export type GatewaySpec = z.infer<typeof GatewaySpec>;
const route = map({ route: list(map({ destination: map({ host: field }) })), mirror: map({ host: field }) });
export const VirtualServiceSpec = z.looseObject({ gateways: list(field), http: list(route), tcp: list(route), tls: list(route) });
export type VirtualServiceSpec = z.infer<typeof VirtualServiceSpec>;
export const ServiceEntrySpec = z.looseObject({ hosts: list(field) });
export type ServiceEntrySpec = z.infer<typeof ServiceEntrySpec>;

// Kubernetes ---------------------------------------------------------------------------------------

/** Deployment, StatefulSet, DaemonSet: the labels their pods get. */
export const WorkloadSpec = z.looseObject({ template: map({ metadata: map({ labels: stringMap }) }) });
export type WorkloadSpec = z.infer<typeof WorkloadSpec>;
