/**
 * The install order a generated repo declares, read as Argo CD applies it, and the rules it must
 * keep. Pure: over the Applications one cluster receives (from the ApplicationSets, each with its
 * sync wave in the root app, its sync options, and the objects its git sources build to). Whether a
 * custom resource syncs before its CRD's source is validate's rule (syncwave/crd-order); this adds
 * what only a generated repo must keep: every kind's CRD has a known source, and what an Application
 * adds next to a chart syncs before it.
 */
import type { Obj } from '../../src/objects.js';
import { isBuiltin } from '../../src/validate/builtin.js';
import { CRD_SOURCES, crdOrderProblems, waveOf } from '../../src/validate/rules/crd-order.js';

export interface Unit {
  /** Application name prefix: `smm-operator`, `smm-cp`, ... */
  app: string;
  /** Sync wave of its ApplicationSet in the root app. */
  wave: number;
  syncOptions: string[];
  /** Helm charts among its sources (their resources carry no wave: 0). */
  charts: string[];
  /** What its git sources build to. */
  objects: Obj[];
}

/** A resource with its sync wave and sync options, as the fixture tables write them. */
export const waved = (apiVersion: string, kind: string, name: string, wave?: number, syncOptions?: string): Obj => ({
  apiVersion,
  kind,
  metadata: {
    name,
    annotations: {
      ...(wave === undefined ? {} : { 'argocd.argoproj.io/sync-wave': String(wave) }),
      ...(syncOptions ? { 'argocd.argoproj.io/sync-options': syncOptions } : {}),
    },
  },
});

const group = (o: Obj) => (String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0]! : '');
const id = (o: Obj) => {
  const meta = o.metadata as { namespace?: string; name?: string };
  return `${String(o.kind)}/${meta.namespace ? `${meta.namespace}/` : ''}${meta.name}`;
};

/** Every way the declared order would fail a sync from an empty cluster; empty when it converges in one round. */
export function orderViolations(units: Unit[], external: string[] = []): string[] {
  const out = crdOrderProblems(
    units.map((u) => ({ ...u, resources: u.objects.map((obj) => ({ obj })) })),
    new Set(external),
  ).map((p) => `${p.app}: ${p.message}`);
  for (const u of units) {
    for (const o of u.objects)
      if (!isBuiltin(String(o.apiVersion)) && !CRD_SOURCES[group(o)] && o.kind !== 'CustomResourceDefinition')
        out.push(`${u.app}: ${id(o)}: no known source for the CRDs of ${group(o)}`);
    // A chart's resources sync in wave 0; what the Application adds next to it is its prerequisite.
    if (u.charts.length > 0)
      for (const o of u.objects)
        if (waveOf(o) >= 0) out.push(`${u.app}: ${id(o)} (wave ${waveOf(o)}) does not sync before the ${u.charts.join(', ')} chart (wave 0)`);
  }
  return out;
}
