/** demo-app (docs 2.3.6, 2.3.7): the DemoApplication, on the clusters its placement names. */
import { findBy } from '../../../model/membership.js';
import { revisionOn } from '../../../model/revisions.js';
import { DESTINATION } from '../../argocd.js';
import { labelOf } from '../../context.js';
import { namespaceRevisionPatch } from '../../revision-patches.js';
import { kustomization } from '../../kustomize.js';
import { relativeTo } from '../../layout.js';
import type { Files, GeneratedApp } from '../types.js';
import { cniAttachment, nonrootSccBinding } from '../../openshift.js';
import { demoApplication, demoApplicationPatch, demoNamespace } from './demoapp.js';

export const demoApp: GeneratedApp = {
  name: 'demo-app',
  appSetName: 'demo-app-appset',
  appPrefix: 'demo-app',
  wave: '2',
  needs: 'the control plane that runs the demo application',
  // DemoApplication's CRD comes with the smm-operator chart, in another sync.
  syncOptions: ['SkipDryRunOnMissingResource=true'],
  clusters: ({ fleet }) => fleet.clusters.filter((c) => fleet.demoApp && findBy(fleet.demoApp.placement, 'cluster', c.name)),
  spec: (_ctx, overlay) => ({ source: overlay, destination: { name: DESTINATION } }),
  base(ctx) {
    const demo = ctx.fleet.demoApp!;
    return [
      ['demo-app-namespace.yaml', demoNamespace(ctx, demo)],
      ['demo-app.yaml', demoApplication(ctx, demo)],
      ['kustomization.yaml', kustomization({ resources: ['demo-app-namespace.yaml', 'demo-app.yaml'] })],
    ];
  },
  overlay({ ctx, cluster, dir, base }) {
    const demo = ctx.fleet.demoApp!;
    const placement = findBy(demo.placement, 'cluster', cluster.name)!;
    const extra: Files =
      cluster.platform === 'openshift'
        ? [
            ['network-attachment.yaml', cniAttachment(ctx, demo.namespace, revisionOn(demo, cluster.name))],
            ['scc-nonroot-v2.yaml', nonrootSccBinding(demo.namespace)],
          ]
        : [];
    // A migration rolling out cluster by cluster: this cluster's demo app on its own control plane.
    const own = demo.clusterRevisions?.[cluster.name];
    const revision: Files = own ? [['revision-namespace.yaml', namespaceRevisionPatch(demo.namespace, labelOf(ctx, own))]] : [];
    return [
      ...extra,
      ['demo-app.yaml', demoApplicationPatch(demo, placement, own && labelOf(ctx, own))],
      ...revision,
      [
        'kustomization.yaml',
        kustomization({
          resources: [relativeTo(dir, base), ...extra.map(([f]) => f)],
          patches: [{ path: 'demo-app.yaml' }, ...revision.map(([path]) => ({ path }))],
        }),
      ],
    ];
  },
};
