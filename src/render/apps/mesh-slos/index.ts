/**
 * mesh-slos (docs 2.8.1): SLI templates, service level objectives and their burn-rate alerting
 * policies, on active clusters unless an object names its clusters. Needs the ControlPlane's sre
 * CRDs, so it syncs after smm-controlplane.
 */
import { placedOn } from '../../../model/membership.js';
import { alertName, type Slos } from '../../../model/mesh/slo.js';
import type { Cluster } from '../../../model/schema.js';
import type { RenderContext } from '../../context.js';
import type { K8sObject } from '../../yaml.js';
import { objectsApp } from '../objects-app.js';
import type { GeneratedApp } from '../types.js';

const NAME = 'mesh-slos';
const SRE = 'sre.smm.cisco.com/v1alpha1';
type Objective = Slos['objectives'][number];

const indicatorTemplate = (t: Slos['indicatorTemplates'][number]): K8sObject => ({
  apiVersion: SRE,
  kind: 'ServiceLevelIndicatorTemplate',
  metadata: { name: t.name, namespace: t.namespace },
  spec: {
    description: t.description,
    goodEvents: t.goodEvents,
    kind: t.kind,
    ...(t.parameters.length ? { parameters: t.parameters } : {}),
    totalEvents: t.totalEvents,
  },
});

const objective = (o: Objective): K8sObject => ({
  apiVersion: SRE,
  kind: 'ServiceLevelObjective',
  metadata: { name: o.name, namespace: o.namespace },
  spec: {
    ...(o.description ? { description: o.description } : {}),
    selector: { name: o.service.name, namespace: o.service.namespace },
    sli: {
      templateRef: { name: o.sli.template, namespace: o.sli.templateNamespace },
      ...(Object.keys(o.sli.parameters).length ? { parameters: o.sli.parameters } : {}),
    },
    slo: { goal: o.goal, ...(o.rolling ? { rolling: { length: o.rolling } } : { calendar: { length: o.calendar } }) },
  },
});

const alertingPolicies = (o: Objective): K8sObject[] =>
  o.alerts.map((a) => ({
    apiVersion: SRE,
    kind: 'AlertingPolicy',
    metadata: { name: alertName(o, a), namespace: o.namespace },
    spec: {
      burnrate: {
        ...(a.conditionMetDuration ? { conditionMetDuration: a.conditionMetDuration } : {}),
        lookBackWindow: a.lookBackWindow,
        ...(a.secondaryWindow ? { secondaryWindow: a.secondaryWindow } : {}),
        severity: a.severity,
        threshold: String(a.threshold),
      },
      sloRef: { name: o.name, namespace: o.namespace },
    },
  }));

function objectsOn(ctx: RenderContext, cluster: Cluster): K8sObject[] {
  // Without `clusters`, an SLO is on every active cluster.
  const here = <T extends { clusters?: string[] | undefined }>(list: T[]) => placedOn(list, cluster.name, cluster.role === 'active' ? 'all' : 'none');
  const { slos } = ctx.fleet;
  return [...here(slos.indicatorTemplates).map(indicatorTemplate), ...here(slos.objectives).flatMap((o) => [objective(o), ...alertingPolicies(o)])];
}

export const meshSlos: GeneratedApp = objectsApp(NAME, '3', "the control plane's SRE controller", objectsOn);
