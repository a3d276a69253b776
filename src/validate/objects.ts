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

const asMap = (v: unknown): Obj => (isObj(v) ? v : {});

/** `metadata`, or an empty map. */
export const meta = (o: Obj): Obj => asMap(o.metadata);
export const labelsOf = (o: Obj): Obj => asMap(meta(o).labels);
export const annotationsOf = (o: Obj): Obj => asMap(meta(o).annotations);
/** `metadata.name` as findings carry it: text, or undefined when there is none. */
export const metaName = (o: Obj): string | undefined => {
  const name = meta(o).name;
  return name === undefined || name === null ? undefined : String(name);
};

/** A map: named fields read through their schemas, other keys kept; anything else is absent. */
export const map = <S extends z.core.$ZodLooseShape>(shape: S) => z.preprocess((v) => (isObj(v) ? v : undefined), z.looseObject(shape).optional());
/** A list: anything else is absent (items read through `item`: a `map` item that is not a map is absent). */
export const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (Array.isArray(v) ? v : undefined), z.array(item).optional());
/** A map of strings as label and selector maps hold; its values are not trusted either. */
const stringMap = z.preprocess((v) => (isObj(v) ? v : undefined), z.record(z.string(), z.unknown()).optional());

/** `spec` of `o` read through `schema`; never fails: a spec that is not a map reads as `{}`. */
export function specOf<S extends z.ZodType<object>>(schema: S, o: Obj): z.infer<S> {
  const r = schema.safeParse(asMap(o.spec));
  // Unreachable with the schemas below (every field is optional and lenient); kept total for the types.
  return r.success ? r.data : schema.parse({});
}

const ref = map({ name: z.unknown(), namespace: z.unknown() });

// Argo CD (argoproj.io/v1alpha1) --------------------------------------------------------------------

/** One source of an Application: where it comes from and how Argo CD renders it. */
export const AppSource = z.looseObject({
  repoURL: z.unknown(),
  path: z.unknown(),
  chart: z.unknown(),
  targetRevision: z.unknown(),
  kustomize: map({}),
  helm: map({
    releaseName: z.unknown(),
    valueFiles: list(z.unknown()),
    parameters: list(map({ name: z.unknown(), value: z.unknown(), forceString: z.unknown() })),
    fileParameters: list(map({ name: z.unknown(), path: z.unknown() })),
    values: z.unknown(),
    valuesObject: z.unknown(),
  }),
});
export type AppSource = z.infer<typeof AppSource>;

export const AppSpec = z.looseObject({
  source: map(AppSource.shape),
  sources: list(map(AppSource.shape)),
  destination: map({ name: z.unknown(), server: z.unknown(), namespace: z.unknown() }),
});

/** An Application's sources: `spec.sources`, else `spec.source`. */
export function appSources(app: Obj): AppSource[] {
  const spec = specOf(AppSpec, app);
  return (spec.sources ?? (spec.source ? [spec.source] : [])).filter((s): s is AppSource => s !== undefined);
}

// Calisti (servicemesh.cisco.com, smm.cisco.com) -------------------------------------------------

export const IstioControlPlaneSpec = z.looseObject({ mode: z.unknown(), version: z.unknown(), meshID: z.unknown(), networkName: z.unknown() });
export const IstioMeshGatewaySpec = z.looseObject({
  istioControlPlane: ref,
  type: z.unknown(),
  deployment: map({ metadata: map({ labels: stringMap }) }),
});
export const ControlPlaneSpec = z.looseObject({
  role: z.unknown(),
  clusterName: z.unknown(),
  meshManager: map({ istio: map({ istioCRRef: ref }) }),
  smm: map({ istio: map({ revision: z.unknown() }) }),
});
export const DemoApplicationSpec = z.looseObject({
  istio: map({ revision: z.unknown() }),
  controlPlaneRef: ref,
  enabledComponents: z.unknown(),
});

// Istio (networking.istio.io, security.istio.io) --------------------------------------------------

const tls = map({ mode: z.unknown() });
const trafficPolicy = map({ tls, portLevelSettings: list(map({ tls })) });
export const DestinationRuleSpec = z.looseObject({ host: z.unknown(), trafficPolicy, subsets: list(map({ trafficPolicy })) });
export const PeerAuthenticationSpec = z.looseObject({ selector: z.unknown(), mtls: map({ mode: z.unknown() }) });
export const GatewaySpec = z.looseObject({
  selector: stringMap,
  servers: list(map({ port: map({ number: z.unknown(), protocol: z.unknown() }), tls: map({ credentialName: z.unknown() }) })),
});
const route = map({ route: list(map({ destination: map({ host: z.unknown() }) })), mirror: map({ host: z.unknown() }) });
export const VirtualServiceSpec = z.looseObject({ gateways: list(z.unknown()), http: list(route), tcp: list(route), tls: list(route) });
export const ServiceEntrySpec = z.looseObject({ hosts: list(z.unknown()) });

// Kubernetes ---------------------------------------------------------------------------------------

/** Deployment, StatefulSet, DaemonSet: the labels their pods get. */
export const WorkloadSpec = z.looseObject({ template: map({ metadata: map({ labels: stringMap }) }) });
