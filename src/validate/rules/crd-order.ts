/**
 * `syncwave/crd-order`: a custom resource never syncs before the source of its CRD. On one cluster,
 * each custom resource an Application syncs needs its CRD from
 * - the same Application, in a wave no later than its own (Argo CD applies CRDs first within a wave
 *   and skips the dry run of kinds whose CRD is in the same sync), or a chart of that Application
 *   (the chart's resources carry no wave: 0);
 * - an Application that syncs earlier: a lower sync wave in the root app (the ApplicationSet's wave
 *   for the Applications it generates; the root waits for each wave to be healthy);
 * - an operator that installs it while reconciling a kind (IstioControlPlane installs Istio's CRDs,
 *   ControlPlane cert-manager's): in an earlier Application, or earlier in the same one with
 *   SkipDryRunOnMissingResource, since Argo CD cannot see that CRD coming;
 * - the cluster itself: built-in kinds, and prerequisites installed outside Argo CD.
 * A kind whose CRD no Application deploys and that is not in CRD_SOURCES is not judged.
 */
import type { Fleet } from '../../model/schema.js';
import { isObj, type Obj, pushTo } from '../../objects.js';
import { SYNC_WAVE } from '../../render/layout.js';
import { isBuiltin } from '../builtin.js';
import { finding, resourceRef, type Finding } from '../findings.js';
import type { ClusterView } from '../mesh.js';
import type { Located } from '../sources.js';

/** Where the CRDs of an API group come from, when no Application deploys them as objects. */
export type CrdSource = { chart: string } | { installedBy: string } | { prerequisite: string };

/** The API groups a Calisti fleet uses whose CRDs are not rendered offline (remote charts, operators). */
export const CRD_SOURCES: Readonly<Record<string, CrdSource>> = {
  'bitnami.com': { chart: 'sealed-secrets' },
  'smm.cisco.com': { chart: 'smm-operator' },
  'servicemesh.cisco.com': { chart: 'smm-operator' },
  'sre.smm.cisco.com': { chart: 'smm-operator' },
  'monitoring.coreos.com': { chart: 'smm-operator' },
  'clusterregistry.k8s.cisco.com': { chart: 'smm-operator' },
  'networking.istio.io': { installedBy: 'IstioControlPlane' },
  'security.istio.io': { installedBy: 'IstioControlPlane' },
  'telemetry.istio.io': { installedBy: 'IstioControlPlane' },
  'cert-manager.io': { installedBy: 'ControlPlane' },
  'k8s.cni.cncf.io': { prerequisite: "OpenShift's Multus" },
  'argoproj.io': { prerequisite: 'Argo CD' },
};

const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** A resource an Application syncs, and where it is written. */
export interface Placed {
  obj: Obj;
  file?: string;
  line?: number;
}

/** One Application on one cluster, as the order needs it. */
export interface OrderUnit {
  app: string;
  /** Its sync wave in the root app. */
  wave: number;
  /** Where that wave is set (the ApplicationSet or Application file), for the hint. */
  waveFile?: string;
  syncOptions: readonly string[];
  /** Charts among its sources (their CRDs and resources sync in wave 0). */
  charts: readonly string[];
  resources: readonly Placed[];
}

export interface OrderProblem {
  app: string;
  resource: Placed;
  message: string;
}

const meta = (o: Obj): Obj => (isObj(o.metadata) ? o.metadata : {});
const annotation = (o: Obj, key: string): string => {
  const a = meta(o).annotations;
  return isObj(a) && typeof a[key] === 'string' ? a[key] : '';
};
/** A resource's or Application's sync wave, as Argo CD reads it (no annotation, or not a number: 0). */
export const waveOf = (o: Obj): number => Number.parseInt(annotation(o, SYNC_WAVE), 10) || 0;
const groupOf = (o: Obj): string => (typeof o.apiVersion === 'string' && o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '');
const id = (o: Obj): string => `${String(o.kind)} ${String(meta(o).name)}`;
const skipsDryRun = (u: OrderUnit, o: Obj) => u.syncOptions.includes(SKIP_DRY_RUN) || annotation(o, SYNC_OPTIONS).split(',').includes(SKIP_DRY_RUN);
const crdKey = (group: string, kind: string) => `${group}/${kind}`;
const laterWave = (u: OrderUnit, after: number) => `give ${u.app} a later sync wave than ${after} (${SYNC_WAVE} of ${u.waveFile ?? 'its Application'})`;

/** Every custom resource of `units` (one cluster) that would sync before its CRD exists; `external`: charts installed outside Argo CD. */
export function crdOrderProblems(units: readonly OrderUnit[], external: ReadonlySet<string>): OrderProblem[] {
  const out: OrderProblem[] = [];
  const crds = new Map<string, { unit: OrderUnit; wave: number; obj: Obj }[]>();
  for (const u of units)
    for (const r of u.resources) {
      const spec = isObj(r.obj.spec) ? r.obj.spec : {};
      const names = isObj(spec.names) ? spec.names : {};
      if (r.obj.kind !== 'CustomResourceDefinition' || typeof spec.group !== 'string' || typeof names.kind !== 'string') continue;
      const key = crdKey(spec.group, names.kind);
      pushTo(crds, key, { unit: u, wave: waveOf(r.obj), obj: r.obj });
    }
  for (const u of units)
    for (const r of u.resources) {
      const o = r.obj;
      const problem = (message: string) => out.push({ app: u.app, resource: r, message: `${id(o)} ${message}` });
      const group = groupOf(o);
      if (typeof o.apiVersion !== 'string' || isBuiltin(o.apiVersion)) continue;
      const defined = crds.get(crdKey(group, String(o.kind)));
      if (defined) {
        const own = defined.filter((d) => d.unit === u);
        if (own.length > 0) {
          const first = Math.min(...own.map((d) => d.wave));
          if (first > waveOf(o))
            problem(
              `(wave ${waveOf(o)}) syncs before its CustomResourceDefinition (wave ${first}) in the same Application: give it a sync wave of at least ${first}`,
            );
        } else if (!defined.some((d) => d.unit.wave < u.wave)) {
          const d = defined[0]!;
          problem(
            `needs the ${id(d.obj)} that ${d.unit.app} (wave ${d.unit.wave}) syncs, not before this Application (wave ${u.wave}): ${laterWave(u, d.unit.wave)}`,
          );
        }
        continue;
      }
      const source = CRD_SOURCES[group];
      if (!source || 'prerequisite' in source) continue;
      if ('chart' in source) {
        const providers = units.filter((x) => x.charts.includes(source.chart));
        if (u.charts.includes(source.chart)) {
          if (waveOf(o) < 0)
            problem(`(wave ${waveOf(o)}) syncs before the ${source.chart} chart that installs its CRD (wave 0): give it a sync wave of at least 0`);
        } else if (providers.length === 0) {
          if (!external.has(source.chart)) problem(`needs the ${source.chart} chart's CRDs, which no Application installs on this cluster`);
        } else if (!providers.some((x) => x.wave < u.wave)) {
          const p = providers[0]!;
          problem(
            `needs the ${source.chart} chart's CRDs, which ${p.app} installs in wave ${p.wave}, not before this Application (wave ${u.wave}): ${laterWave(u, p.wave)}`,
          );
        }
        continue;
      }
      if (units.some((x) => x.wave < u.wave && x.resources.some((y) => y.obj.kind === source.installedBy))) continue;
      const installer = u.resources.find((y) => y.obj.kind === source.installedBy);
      if (!installer) {
        problem(`needs its CRDs from a ${source.installedBy}, and none syncs before it (in an earlier wave, or earlier in this Application)`);
        continue;
      }
      if (waveOf(installer.obj) >= waveOf(o))
        problem(
          `(wave ${waveOf(o)}) needs ${id(installer.obj)} (wave ${waveOf(installer.obj)}) to install its CRDs first: give it a sync wave above ${waveOf(installer.obj)}`,
        );
      else if (!skipsDryRun(u, o))
        problem(
          `gets its CRDs from ${id(installer.obj)} during the same sync, so Argo CD's dry run fails: add ${SKIP_DRY_RUN} to ${u.app}'s syncOptions or to its ${SYNC_OPTIONS} annotation`,
        );
    }
  return out;
}

/** An Application as validate expands it: the object, where it is written, and the ApplicationSet it came from. */
export type ExpandedApp = Located<Obj> & { from?: string };

/** A chart among an Application's sources: a chart of a Helm repository, or a vendored chart folder under charts/. */
function chartsOf(app: Obj): string[] {
  const spec = isObj(app.spec) ? app.spec : {};
  const sources = Array.isArray(spec.sources) ? spec.sources : [spec.source];
  return sources.filter(isObj).flatMap((s) => {
    if (typeof s.chart === 'string') return [s.chart];
    const path = typeof s.path === 'string' ? s.path.split('/') : [];
    return path.length >= 2 && path[path.length - 2] === 'charts' ? [path[path.length - 1]!] : [];
  });
}

function syncOptionsOf(app: Obj): string[] {
  const spec = isObj(app.spec) ? app.spec : {};
  const policy = isObj(spec.syncPolicy) ? spec.syncPolicy : {};
  return Array.isArray(policy.syncOptions) ? policy.syncOptions.filter((x): x is string => typeof x === 'string') : [];
}

/** What validate knows when the rule runs. */
export interface CrdOrderInput {
  apps: readonly ExpandedApp[];
  /** The ApplicationSets, whose waves in the root app order the Applications they generate. */
  appSets: readonly Located<Obj>[];
  views: readonly ClusterView[];
  /** An Application's destination, named as the views name clusters. */
  clusterOf(app: Obj): string | undefined;
  fleet?: Fleet;
}

/** The rule over validate's data; a cluster whose builds failed is skipped (what it receives is not known). */
export function crdOrderFindings({ apps, appSets, views, clusterOf, fleet }: CrdOrderInput): Finding[] {
  const setByName = new Map(appSets.map((s) => [String(meta(s.obj).name), s]));
  // A repo without calisti.yaml may install any chart outside Argo CD; a fleet installs sealed-secrets' only with sealedSecrets.install.
  const charts = Object.values(CRD_SOURCES).flatMap((s) => ('chart' in s ? [s.chart] : []));
  const external = new Set(fleet ? (fleet.sealedSecrets.install ? [] : ['sealed-secrets']) : charts);
  const out: Finding[] = [];
  // Applications by destination, once: a fleet has thousands of clusters and of Applications.
  const appsOf = new Map<string | undefined, ExpandedApp[]>();
  for (const a of apps) {
    pushTo(appsOf, clusterOf(a.obj), a);
  }
  for (const view of views) {
    if (view.incomplete) continue;
    const resources = new Map<string, Placed[]>();
    for (const d of view.resources) pushTo(resources, d.application, d);
    const units = (appsOf.get(view.cluster) ?? []).map((a): OrderUnit => {
      const name = String(meta(a.obj).name);
      const waved = (a.from === undefined ? undefined : setByName.get(a.from)) ?? a;
      return {
        app: name,
        wave: waveOf(waved.obj),
        waveFile: waved.file,
        syncOptions: syncOptionsOf(a.obj),
        charts: chartsOf(a.obj),
        resources: resources.get(name) ?? [],
      };
    });
    for (const p of crdOrderProblems(units, external))
      out.push(
        finding('syncwave/crd-order', p.message, {
          cluster: view.cluster,
          application: p.app,
          resource: resourceRef(p.resource.obj),
          file: p.resource.file,
          line: p.resource.line,
        }),
      );
  }
  return out;
}
