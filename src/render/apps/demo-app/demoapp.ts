/** The demo-app application (docs 2.3.6 and 2.3.7): namespace and DemoApplication, split by cluster. */
import type { DemoApp } from '../../../model/schema.js';
import { labelOf, type RenderContext } from '../../context.js';
import { CONTROL_PLANE_NAME } from '../../layout.js';
import type { K8sObject } from '../../yaml.js';

type Placement = DemoApp['placement'][number];
const DEMO_NAME = 'smm-demo';

export function demoNamespace(ctx: RenderContext, demo: DemoApp): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      labels: {
        'app.kubernetes.io/instance': DEMO_NAME,
        'app.kubernetes.io/name': DEMO_NAME,
        'app.kubernetes.io/part-of': DEMO_NAME,
        'app.kubernetes.io/version': ctx.blueprint.demoApp.version,
        'istio.io/rev': labelOf(ctx, demo.revision),
      },
      name: demo.namespace,
    },
  };
}

/** What every cluster's DemoApplication shares. */
export function demoApplication(ctx: RenderContext, demo: DemoApp): K8sObject {
  return {
    apiVersion: 'smm.cisco.com/v1alpha1',
    kind: 'DemoApplication',
    metadata: { name: DEMO_NAME, namespace: demo.namespace },
    spec: {
      autoscaling: { enabled: demo.autoscaling },
      controlPlaneRef: { name: CONTROL_PLANE_NAME },
      enabled: true,
      istio: { revision: labelOf(ctx, demo.revision) },
      replicas: demo.replicas,
      resources: demo.resources,
    },
  };
}

/** The per-cluster patch: which services run here, whether load and Istio/SLO resources do, and its own control plane mid-migration. */
export function demoApplicationPatch(demo: DemoApp, placement: Placement, revisionLabel?: string): K8sObject {
  const entry = placement.components.includes('frontpage');
  const load = placement.load ?? entry;
  return {
    apiVersion: 'smm.cisco.com/v1alpha1',
    kind: 'DemoApplication',
    metadata: { name: DEMO_NAME, namespace: demo.namespace },
    spec: {
      deployIstioResources: placement.istioResources ?? entry,
      deploySLOResources: placement.sloResources ?? entry,
      enabledComponents: placement.components,
      ...(revisionLabel ? { istio: { revision: revisionLabel } } : {}),
      ...(load ? { load: { enabled: true, ...demo.load } } : {}),
    },
  };
}
