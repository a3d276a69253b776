/** The generated repo's README and, for a multi-cluster fleet, its trust-exchange script. */
import { findBy, placedOn } from '../model/membership.js';
import { collapse } from '../graph/collapse.js';
import { modelGraph } from '../graph/fleet.js';
import { toMermaid } from '../graph/mermaid.js';
import { inferredValues } from '../model/blueprint.js';
import { versionOf } from '../model/rings.js';
import type { Fleet } from '../model/schema.js';
import { applicationName } from './app-name.js';
import { RING_LABEL } from './argocd.js';
import { networkOf } from './context.js';
import { APPS_DIR, BOOTSTRAP_DIR, NS, PLACEHOLDER_ANNOTATION, ROOT_APP, TRUST_SCRIPT, VENDORED_CHART_DIR } from './layout.js';
import { mdText, renderTemplate, shQuote } from './prose.js';
import type { RepoFiles } from './repo-files.js';
import { demoApp } from './apps/demo-app/index.js';
import type { AppFile } from './apps/types.js';

export const readme: RepoFiles = ({ ctx, apps }) => {
  const { fleet, blueprint } = ctx;
  const names = fleet.clusters.map((c) => c.name);
  const demoClusters = apps.find(({ app }) => app === demoApp)?.clusters.map((c) => c.name) ?? [];
  const demoOn = new Set(demoClusters);
  const files: AppFile[] = [
    {
      path: fleet.readme,
      text: renderTemplate('README.md', {
        calisti: blueprint.calisti,
        chart: blueprint.chart.version,
        chartSource: fleet.calisti.chart === 'oci' ? `from ${blueprint.chart.repository}` : `vendored in ${VENDORED_CHART_DIR}`,
        istio: ctx.istio.version,
        revision: ctx.revision,
        istioNamespace: fleet.istio.namespace,
        meshID: fleet.istio.meshID,
        repoURL: fleet.git.repoURL,
        targetRevision: fleet.git.targetRevision,
        argocdNamespace: fleet.argocd.namespace,
        project: fleet.argocd.project,
        clusterRows: clusterRows(fleet, demoOn),
        fleetGraph: toMermaid(collapse(modelGraph(ctx, demoClusters))),
        placeholderAnnotation: PLACEHOLDER_ANNOTATION,
        bootstrapDir: BOOTSTRAP_DIR,
        appsDir: APPS_DIR,
        rootApp: ROOT_APP,
        multiCluster: names.length > 1,
        trustScript: TRUST_SCRIPT,
        inferred: inferredValues(blueprint),
        sealedSecrets: fleet.sealedSecrets.install,
        renamed: fleet.clusters.some((c) => c.argocd?.name !== undefined),
        ...ringRows(fleet),
        order: apps.map(({ app, clusters }) => ({
          wave: app.wave,
          appSet: app.appSetName,
          applications:
            clusters.length > 3 ? `${app.appPrefix}-<cluster> (${clusters.length})` : clusters.map((c) => applicationName(app.appPrefix, c.name)).join(', '),
          needs: app.needs,
        })),
      }),
    },
  ];
  if (names.length > 1) {
    files.push({ path: TRUST_SCRIPT, text: renderTemplate('export-secrets.sh', trustScriptValues(names)), executable: true });
  }
  return files;
};

/**
 * The trust script's bash arrays: each cluster's name, and the JSON patches that give its copied
 * Cluster and Secret their identity, each shell-quoted. Built here rather than by `each` blocks
 * of helper calls (about 20 per cluster, 25 ms at 1,000 clusters).
 */
function trustScriptValues(names: string[]) {
  const identity = (apiVersion: string, kind: string, metadata: object) => [
    { op: 'add', path: '/apiVersion', value: apiVersion },
    { op: 'add', path: '/kind', value: kind },
    { op: 'add', path: '/metadata', value: metadata },
  ];
  const words = (values: unknown[]) => values.map(shQuote).join(' ');
  return {
    clusterWords: words(names),
    clusterIdentity: words(names.map((name) => JSON.stringify(identity('clusterregistry.k8s.cisco.com/v1alpha1', 'Cluster', { name })))),
    secretIdentity: words(names.map((name) => JSON.stringify(identity('v1', 'Secret', { name, namespace: NS.clusterRegistry })))),
    registryNamespace: NS.clusterRegistry,
  };
}

/**
 * The clusters table's rows, each cell Markdown-escaped (mdText). Built here rather than by an
 * `each` block: at 10,000 clusters Handlebars spent 0.1 s on the 60,000 helper calls.
 */
function clusterRows(fleet: Fleet, demoOn: Set<string>): string {
  return fleet.clusters
    .map((c) => {
      const demo = demoOn.has(c.name) ? findBy(fleet.demoApp!.placement, 'cluster', c.name)!.components.join(', ') : '-';
      const gateways =
        placedOn(fleet.gateways, c.name)
          .map((g) => `${g.namespace}/${g.name}`)
          .join(', ') || '-';
      return `| ${[c.name, c.role, networkOf(c), c.platform, demo, gateways].map(mdText).join(' | ')} |`;
    })
    .join('\n');
}

/** The rings in rollout order, and the clusters in no ring as the last step (Argo CD's RollingSync steps). */
function ringRows(fleet: Fleet) {
  if (fleet.rings.length === 0) return { rings: undefined };
  const inRing = new Set(fleet.rings.flatMap((r) => r.clusters));
  const rest = fleet.clusters.filter((c) => !inRing.has(c.name)).map((c) => c.name);
  const rows = [...fleet.rings.map((r) => ({ name: r.name, clusters: r.clusters })), ...(rest.length ? [{ name: '(no ring)', clusters: rest }] : [])];
  return {
    rings: rows.map((r, i) => ({ order: String(i + 1), name: r.name, clusters: r.clusters.join(', '), version: versionOf(fleet, r.clusters[0]!) })),
    firstRing: fleet.rings[0]!.name,
    ringLabel: RING_LABEL,
  };
}
