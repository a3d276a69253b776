/**
 * smm-operator: the operator's Helm chart (docs 2.3.7) plus, from its overlay, each cluster's
 * registry pull secret sealed for that cluster (never a credential in Helm parameters).
 */
import { DESTINATION, gitSource } from '../../argocd.js';
import { kustomization } from '../../kustomize.js';
import { NS, VENDORED_CHART_DIR } from '../../layout.js';
import { registryPullSecret } from '../../secrets.js';
import type { GeneratedApp } from '../types.js';

const NAME = 'smm-operator';

export const smmOperator: GeneratedApp = {
  name: NAME,
  appSetName: `${NAME}-appset`,
  appPrefix: NAME,
  wave: '0',
  needs: 'the sealed-secrets controller: its registry pull secret is a SealedSecret',
  // The webhook configuration the operator rewrites is ignored; Replace=true must not overwrite it either.
  syncOptions: ['RespectIgnoreDifferences=true'],
  clusters: (ctx) => ctx.fleet.clusters,
  element: (c, ctx) => ({
    apiServerEndpointAddress: c.apiServerEndpointAddress ?? '',
    ...(ctx.mixedReleases ? { chartVersion: ctx.blueprint.chart.version } : {}),
  }),
  spec(ctx, overlay) {
    const { fleet, blueprint } = ctx;
    const helm = {
      releaseName: NAME,
      parameters: [
        { name: 'global.ecr.enabled', value: 'false' },
        { name: 'apiServerEndpointAddress', value: '{{apiServerEndpointAddress}}' },
      ],
    };
    const chart =
      fleet.calisti.chart === 'oci'
        ? // Literal, so bots can bump it; per cluster only while a ring runs another release.
          {
            repoURL: blueprint.chart.repository,
            chart: blueprint.chart.name,
            targetRevision: ctx.mixedReleases ? '{{chartVersion}}' : blueprint.chart.version,
            helm,
          }
        : { ...gitSource(fleet, VENDORED_CHART_DIR), helm };
    return {
      sources: [chart, overlay],
      destination: { namespace: NS.registryAccess, name: DESTINATION },
      ignoreDifferences: [{ kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', jsonPointers: ['/webhooks'] }],
    };
  },
  overlay: ({ ctx, cluster, sealed }) => [
    ['registry-pull-secret.yaml', registryPullSecret(ctx, cluster.name, sealed)],
    ['kustomization.yaml', kustomization({ resources: ['registry-pull-secret.yaml'] })],
  ],
};
