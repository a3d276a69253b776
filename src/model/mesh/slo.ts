/**
 * Service level objectives and their alerts (docs 2.8.1): ServiceLevelIndicatorTemplates,
 * ServiceLevelObjectives, and AlertingPolicies nested under the objective they alert on, so an
 * alert's sloRef cannot name a missing objective. The `slos:` section of the Fleet.
 */
import { z } from 'zod';
import { DnsLabel, DnsSubdomain } from '../names.js';

/** A Go duration as the sre CRDs read it: 1h, 5m, 720h0m0s. */
const GoDuration = z.string().regex(/^(\d+(\.\d+)?(h|m|s|ms))+$/, 'must be a duration such as 1h, 5m or 720h0m0s');
const Clusters = z
  .array(DnsLabel)
  .min(1)
  .optional()
  .describe('Clusters that get this object. Default: every active cluster (passive clusters run no SLO controller).');
/** Calisti's own SLI templates live here (docs 2.8.1.4: kubectl get slit -A). */
export const BUILTIN_TEMPLATE_NAMESPACE = 'smm-system';

export const IndicatorTemplate = z.strictObject({
  name: DnsSubdomain.describe('Template name SLOs refer to.'),
  namespace: DnsLabel.describe('Namespace of the template.'),
  clusters: Clusters,
  description: z.string().min(1).describe('Shown in the dashboard next to the SLI.'),
  kind: z.enum(['availability', 'latency']).describe('availability: error-rate SLIs; latency: latency SLIs.'),
  goodEvents: z
    .string()
    .min(1)
    .describe('Go-templated PromQL returning the good events ({{ .Params.x }}, {{ .Service.Namespace }}, {{ .Service.Name }}, {{ .SLO.Period }}).'),
  totalEvents: z.string().min(1).describe('Go-templated PromQL returning all events.'),
  parameters: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a template identifier')
          .describe('Parameter name, used as {{ .Params.<name> }}.'),
        default: z.string().optional().describe('Default value.'),
        description: z.string().min(1).optional().describe('Shown in the dashboard.'),
        advanced: z.boolean().optional().describe('Shown only under SHOW ADVANCED PARAMETERS.'),
      }),
    )
    .default([])
    .describe('Parameters SLOs pass to the queries.'),
});

export const Alert = z.strictObject({
  name: DnsSubdomain.optional().describe('AlertingPolicy name. Default: <objective>-<severity>-<lookBackWindow>.'),
  severity: z.enum(['ticket', 'page']).describe('Severity label; route it in Alertmanager.'),
  threshold: z.number().positive().describe('Burn rate above which the alert fires, e.g. 14.4.'),
  lookBackWindow: GoDuration.describe('Time-frame the burn rate is computed over.'),
  secondaryWindow: GoDuration.optional().describe('Control lookback window: the alert fires only while the budget is still being consumed.'),
  conditionMetDuration: GoDuration.optional().describe('How long the burn rate must stay above the threshold before the alert fires.'),
});

export const Objective = z
  .strictObject({
    name: DnsSubdomain.describe('ServiceLevelObjective name, e.g. frontpage-30d-rolling-availability.'),
    namespace: DnsLabel.describe("Namespace of the objective; usually the service's."),
    clusters: Clusters,
    description: z.string().min(1).optional().describe('Shown in the dashboard.'),
    service: z
      .strictObject({ name: DnsLabel.describe('Service name.'), namespace: DnsLabel.describe('Service namespace.') })
      .describe('The service the SLO applies to (spec.selector).'),
    sli: z
      .strictObject({
        template: DnsSubdomain.describe('ServiceLevelIndicatorTemplate name, e.g. http-requests-success-rate.'),
        templateNamespace: DnsLabel.default(BUILTIN_TEMPLATE_NAMESPACE).describe("Its namespace; smm-system holds Calisti's own templates."),
        parameters: z.record(z.string().min(1), z.string()).default({}).describe("Values of the template's parameters, e.g. reporter: source."),
      })
      .describe('The indicator measured (spec.sli).'),
    goal: z
      .string()
      .regex(/^\d{1,2}(\.\d+)?$/, 'must be a percentage below 100 as a string, e.g. "99.9"')
      .describe('Target success rate in percent, as a string (spec.slo.goal), e.g. "99.9".'),
    rolling: GoDuration.optional().describe('Rolling window length, e.g. 720h0m0s for 30 days.'),
    calendar: z.enum(['month', 'week', 'day']).optional().describe('Calendar window instead of a rolling one.'),
    alerts: z.array(Alert).default([]).describe('Burn-rate AlertingPolicies on this objective (docs 2.8.1.2).'),
  })
  .refine((o) => (o.rolling === undefined) !== (o.calendar === undefined), { message: 'set exactly one of rolling or calendar', path: ['rolling'] });

export const Slos = z
  .strictObject({
    indicatorTemplates: z.array(IndicatorTemplate).default([]).describe('Custom SLI templates (docs 2.8.1.3).'),
    objectives: z.array(Objective).default([]).describe('Service level objectives (docs 2.8.1.4) and their alerts.'),
  })
  .describe('SLOs and alerting, rendered as the mesh-slos application on each cluster.');
export type Slos = z.infer<typeof Slos>;

export const alertName = (o: { name: string }, a: z.infer<typeof Alert>) => a.name ?? `${o.name}-${a.severity}-${a.lookBackWindow}`;

/** Cross-field rules; `issue(path, message)` reports below `slos`. */
export function checkSlos(s: Slos, clusters: Set<string>, issue: (path: PropertyKey[], message: string) => void): void {
  const unknown = (list: 'indicatorTemplates' | 'objectives', i: number, cs: string[] | undefined) =>
    cs?.forEach((c, j) => {
      if (!clusters.has(c)) issue([list, i, 'clusters', j], `unknown cluster "${c}"; clusters are: ${[...clusters].join(', ')}`);
    });
  const templates = new Map<string, Set<string>>();
  s.indicatorTemplates.forEach((t, i) => {
    const key = `${t.namespace}/${t.name}`;
    if (templates.has(key)) issue(['indicatorTemplates', i, 'name'], `${key} is listed twice`);
    templates.set(key, new Set(t.parameters.map((p) => p.name)));
    unknown('indicatorTemplates', i, t.clusters);
  });
  const objectives = new Set<string>();
  const alerts = new Set<string>();
  s.objectives.forEach((o, i) => {
    const key = `${o.namespace}/${o.name}`;
    if (objectives.has(key)) issue(['objectives', i, 'name'], `${key} is listed twice`);
    objectives.add(key);
    unknown('objectives', i, o.clusters);
    const params = templates.get(`${o.sli.templateNamespace}/${o.sli.template}`);
    if (params) {
      for (const p of Object.keys(o.sli.parameters)) {
        if (!params.has(p))
          issue(['objectives', i, 'sli', 'parameters', p], `template ${o.sli.template} has no parameter ${p}; it has: ${[...params].join(', ') || 'none'}`);
      }
    }
    o.alerts.forEach((a, j) => {
      const name = `${o.namespace}/${alertName(o, a)}`;
      if (alerts.has(name)) issue(['objectives', i, 'alerts', j], `alerting policy ${name} is defined twice; give it a name`);
      alerts.add(name);
    });
  });
}
