/**
 * The install order a generated repo declares, read as Argo CD applies it, and the rules it must
 * keep. Pure: over the Applications one cluster receives (from the ApplicationSets, each with its
 * sync wave in the root app, its sync options, and the objects its git sources build to).
 */

export interface Unit {
  /** Application name prefix: `smm-operator`, `smm-cp`, ... */
  app: string;
  /** Sync wave of its ApplicationSet in the root app. */
  wave: number;
  syncOptions: string[];
  /** Helm charts among its sources (their resources carry no wave: 0). */
  charts: string[];
  /** What its git sources build to. */
  objects: Record<string, any>[];
}

/**
 * Where the CRD of an API group comes from: a chart an Application installs, or an operator reconciling
 * a kind (in an earlier Application, or during the same sync, which Argo CD cannot see coming).
 */
type Source = { chart: string } | { installedBy: string } | { prerequisite: string };
export const CRD_SOURCES: Record<string, Source> = {
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
};

const group = (o: Record<string, any>) => (String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0]! : '');
const wave = (o: Record<string, any>) => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
const skipsDryRun = (u: Unit, o: Record<string, any>) =>
  u.syncOptions.includes('SkipDryRunOnMissingResource=true') ||
  String(o.metadata?.annotations?.['argocd.argoproj.io/sync-options'] ?? '').includes('SkipDryRunOnMissingResource=true');
const id = (o: Record<string, any>) => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Every way the declared order would fail a sync from an empty cluster; empty when it converges in one round. */
export function orderViolations(units: Unit[], external: string[] = []): string[] {
  const out: string[] = [];
  const chartApp = new Map(units.flatMap((u) => u.charts.map((c) => [c, u] as const)));
  for (const u of units) {
    for (const o of u.objects) {
      const g = group(o);
      const src = CRD_SOURCES[g];
      if (!src && g !== '' && !g.endsWith('.k8s.io') && g !== 'apps' && g !== 'autoscaling' && g !== 'batch' && g !== 'policy') {
        out.push(`${u.app}: ${id(o)}: no known source for the CRDs of ${g}`);
        continue;
      }
      if (!src || 'prerequisite' in src) continue;
      if ('chart' in src) {
        const provider = chartApp.get(src.chart);
        if (!provider) {
          if (!external.includes(src.chart)) out.push(`${u.app}: ${id(o)} needs the ${src.chart} chart's CRDs, which nothing installs on this cluster`);
        } else if (provider !== u && provider.wave >= u.wave) {
          out.push(`${u.app} (wave ${u.wave}): ${id(o)} needs the ${src.chart} chart's CRDs, installed by ${provider.app} in wave ${provider.wave}`);
        }
        continue;
      }
      const installer = u.objects.find((x) => x.kind === src.installedBy);
      if (!installer) {
        // Installed by an earlier Application's sync: the waves already order it.
        if (!units.some((x) => x.wave < u.wave && x.objects.some((y) => y.kind === src.installedBy)))
          out.push(`${u.app}: ${id(o)} needs a ${src.installedBy} before it to install its CRDs`);
        continue;
      }
      if (wave(installer) >= wave(o))
        out.push(`${u.app}: ${id(o)} (wave ${wave(o)}) syncs before ${id(installer)} (wave ${wave(installer)}) installs its CRDs`);
      if (!skipsDryRun(u, o)) out.push(`${u.app}: ${id(o)}: its CRDs appear during the sync; Argo CD's dry run fails without SkipDryRunOnMissingResource=true`);
    }
    // A chart's resources sync in wave 0; what the Application adds next to it is its prerequisite.
    if (u.charts.length > 0) {
      for (const o of u.objects)
        if (wave(o) >= 0) out.push(`${u.app}: ${id(o)} (wave ${wave(o)}) does not sync before the ${u.charts.join(', ')} chart (wave 0)`);
    }
  }
  return out;
}
