/**
 * SLOs and alerting against the docs' CR reference (2.8.1.2-4): rendered as the mesh-slos
 * application, built with the real kustomize, and valid against the sre CRDs in schemas/.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../../src/model/load.js';
import { schemasDir } from '../../../src/toolkit.js';
import { CrdRegistry } from '../../../src/validate/crds.js';
import { checkResource } from '../../../src/validate/structural.js';
import { fleetModel, renderToDisk } from './render.js';

const crds = new CrdRegistry()
  .addFile(join(schemasDir, 'sre.smm.cisco.com_servicelevelobjectives.yaml'))
  .addFile(join(schemasDir, 'sre.smm.cisco.com_servicelevelindicatortemplates.yaml'))
  .addFile(join(schemasDir, 'sre.smm.cisco.com_alertingpolicies.yaml'));

const fleet = (slos: string) => fleetModel('  - name: c1\n  - name: c2\n    role: passive', `slos:\n${slos}`);

const docs = `  indicatorTemplates:
    - name: http-requests-success-rate-demo
      namespace: smm-demo
      description: |
        Indicates the percentages of successful (non 5xx) HTTP responses compared to all requests
      kind: availability
      goodEvents: |
        sum(rate(
          istio_requests_total{reporter="{{ .Params.reporter }}", destination_service_namespace="{{ .Service.Namespace }}", destination_service_name="{{ .Service.Name }}",response_code!~"5[0-9]{2}|0"}[{{ .SLO.Period }}]
        ))
      totalEvents: |
        sum(rate(
          istio_requests_total{reporter="{{ .Params.reporter }}", destination_service_namespace="{{ .Service.Namespace }}", destination_service_name="{{ .Service.Name }}"}[{{ .SLO.Period }}]
        ))
      parameters:
        - {name: reporter, default: source, description: the Envoy proxy that reports the metric (source | destination)}
  objectives:
    - name: frontpage-30d-rolling-availability
      namespace: smm-demo
      description: |
        HTTP request success rate should be above 99.9% for a rolling period of 30 days
      service: {name: frontpage, namespace: smm-demo}
      sli:
        template: http-requests-success-rate-demo
        templateNamespace: smm-demo
        parameters: {reporter: source}
      goal: "99.9"
      rolling: 720h0m0s
      alerts:
        - {severity: page, threshold: 14.4, lookBackWindow: 1h, secondaryWindow: 5m, conditionMetDuration: 0s}
        - {name: frontpage-ticket, severity: ticket, threshold: 1, lookBackWindow: 72h}
    - name: movies-week
      namespace: smm-demo
      service: {name: movies, namespace: smm-demo}
      sli: {template: http-requests-duration, parameters: {threshold: "100"}}
      goal: "99"
      calendar: week
`;

describe('SLOs and alerting', () => {
  it("the docs' fields, on active clusters, valid against the sre CRDs", async () => {
    const { tree, build } = renderToDisk(fleet(docs));
    expect([...tree.keys()].some((p) => p.startsWith('manifests/mesh-slos/overlays/c2/'))).toBe(false);
    const objs = await build('manifests/mesh-slos/overlays/c1');
    for (const o of objs) expect(checkResource(o, crds.get(o.apiVersion, o.kind)!), `${o.kind}/${o.metadata.name}`).toEqual([]);
    const one = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name)!;

    const slit = one('ServiceLevelIndicatorTemplate', 'http-requests-success-rate-demo').spec;
    expect(slit.kind).toBe('availability');
    expect(slit.parameters).toEqual([{ name: 'reporter', default: 'source', description: 'the Envoy proxy that reports the metric (source | destination)' }]);
    expect(slit.goodEvents).toContain('response_code!~"5[0-9]{2}|0"}[{{ .SLO.Period }}]');

    expect(one('ServiceLevelObjective', 'frontpage-30d-rolling-availability').spec).toEqual({
      description: 'HTTP request success rate should be above 99.9% for a rolling period of 30 days\n',
      selector: { name: 'frontpage', namespace: 'smm-demo' },
      sli: { templateRef: { name: 'http-requests-success-rate-demo', namespace: 'smm-demo' }, parameters: { reporter: 'source' } },
      slo: { goal: '99.9', rolling: { length: '720h0m0s' } },
    });
    expect(one('ServiceLevelObjective', 'movies-week').spec.slo).toEqual({ goal: '99', calendar: { length: 'week' } });
    expect(one('ServiceLevelObjective', 'movies-week').spec.sli.templateRef).toEqual({ name: 'http-requests-duration', namespace: 'smm-system' });

    expect(one('AlertingPolicy', 'frontpage-30d-rolling-availability-page-1h').spec).toEqual({
      burnrate: { conditionMetDuration: '0s', lookBackWindow: '1h', secondaryWindow: '5m', severity: 'page', threshold: '14.4' },
      sloRef: { name: 'frontpage-30d-rolling-availability', namespace: 'smm-demo' },
    });
    expect(one('AlertingPolicy', 'frontpage-ticket').spec.burnrate.threshold).toBe('1');
  });

  it.each([
    [
      'both windows',
      '  objectives: [{name: a, namespace: n, service: {name: s, namespace: n}, sli: {template: t}, goal: "99", rolling: 720h, calendar: week}]\n',
      'slos.objectives[0].rolling',
      'exactly one of rolling or calendar',
    ],
    [
      'unknown template parameter',
      '  indicatorTemplates: [{name: t, namespace: n, description: d, kind: availability, goodEvents: g, totalEvents: t, parameters: [{name: reporter}]}]\n  objectives: [{name: a, namespace: n, service: {name: s, namespace: n}, sli: {template: t, templateNamespace: n, parameters: {reportr: source}}, goal: "99", rolling: 720h}]\n',
      'slos.objectives[0].sli.parameters.reportr',
      'no parameter reportr',
    ],
    [
      'a goal of 100%, which leaves no error budget',
      '  objectives: [{name: a, namespace: n, service: {name: s, namespace: n}, sli: {template: t}, goal: "100", rolling: 720h}]\n',
      'slos.objectives[0].goal',
      'below 100',
    ],
    [
      'a Go duration in days',
      '  objectives: [{name: a, namespace: n, service: {name: s, namespace: n}, sli: {template: t}, goal: "99", rolling: 30d}]\n',
      'slos.objectives[0].rolling',
      'duration',
    ],
  ])('rejects %s', (_n, slos, path, message) => {
    expect(() => parseFleet(fleet(slos))).toThrow(path);
    expect(() => parseFleet(fleet(slos))).toThrow(message);
  });
});
