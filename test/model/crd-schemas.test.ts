/**
 * schemas/smm.cisco.com_controlplanes.yaml against the docs: every ControlPlane example the Calisti
 * docs print (test/model/fixtures/docs-controlplane-specs.yaml), put into a cluster's overrides as a
 * user would, passes the schema check and a full validate; a misspelling inside them still fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { resourceCredentials } from '../../src/secrets/detect.js';
import { schemasDir, toolkitRoot } from '../../src/toolkit.js';
import { CrdRegistry } from '../../src/validate/crds.js';
import { runValidate } from '../../src/validate/index.js';
import { checkResource } from '../../src/validate/structural.js';
import { CRD_PATHS, describeWithConformance, parseYamlDocs, tempDir } from '../helpers.js';

const examples = parseAllDocuments(readFileSync(join(toolkitRoot, 'test', 'model', 'fixtures', 'docs-controlplane-specs.yaml'), 'utf8')).map(
  (d) => d.toJS() as { section: string; spec: Record<string, unknown> },
);
const controlPlane = new CrdRegistry().addFile(join(schemasDir, 'smm.cisco.com_controlplanes.yaml')).get('smm.cisco.com/v1alpha1', 'ControlPlane')!;

const model = (overrides: Record<string, unknown>) =>
  stringify({
    apiVersion: 'calisti-gitops.io/v1alpha1',
    kind: 'Fleet',
    calisti: { version: '1.12.0' },
    git: { repoURL: 'https://git.example.com/fleet.git' },
    clusters: [{ name: 'wc-1', overrides: { controlPlane: overrides } }],
  });

/** The rendered per-cluster ControlPlane patch, which carries the overrides. */
function controlPlanePatch(overrides: Record<string, unknown>): Record<string, unknown> {
  const tree = renderRepo(parseFleet(model(overrides)));
  return parseYamlDocs(tree.get('manifests/smm-controlplane/overlays/wc-1/control-plane.yaml')!.content)[0]!;
}

describe('the ControlPlane schema', () => {
  it.each(examples.map((e) => [e.section, e.spec] as const))("accepts the docs' example: %s", (_section, spec) => {
    const patch = { apiVersion: 'smm.cisco.com/v1alpha1', kind: 'ControlPlane', metadata: { name: 'smm' }, spec: { ...spec, clusterName: 'wc-1' } };
    // A credential the docs write into the ControlPlane (2.5.10.2's OIDC client secret) is sealed instead: the model refuses it in overrides.
    if (resourceCredentials(patch).length) {
      expect(() => controlPlanePatch(spec)).toThrow('seal --target oidc');
      expect(checkResource(patch, controlPlane)).toEqual([]);
      return;
    }
    expect(checkResource(controlPlanePatch(spec), controlPlane)).toEqual([]);
  });

  it.each([
    ['a misspelt pilot field', { meshManager: { istio: { pilot: { resource: {} } } } }, 'spec.meshManager.istio.pilot.resource'],
    ['a misspelt affinity field', { affinity: { nodeAffinity: { requiredDuringScheduling: {} } } }, 'spec.affinity.nodeAffinity.requiredDuringScheduling'],
    [
      'an affinity weight that is text',
      { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 'high', podAffinityTerm: { topologyKey: 'k' } }] } } },
      'spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight',
    ],
    [
      'a resource limit that is a map',
      { meshManager: { istio: { proxy: { resources: { limits: { cpu: { m: 5 } } } } } } },
      'spec.meshManager.istio.proxy.resources.limits.cpu',
    ],
    [
      'a misspelt scraping frequency field',
      { smm: { prometheus: { scraping: { frequency: { intervall: '15s' } } } } },
      'spec.smm.prometheus.scraping.frequency.intervall',
    ],
    [
      'a misspelt alertmanager host',
      { smm: { prometheus: { alertmanager: { static: [{ hostname: 'a', port: 9093 }] } } } },
      'spec.smm.prometheus.alertmanager.static[0].hostname',
    ],
  ])('still reports %s', (_name, spec, path) => {
    const problems = checkResource(controlPlanePatch(spec), controlPlane);
    expect(problems.map((p) => p.path)).toContain(path);
  });
});

describeWithConformance("validate on the docs' scaling and affinity examples", () => {
  it('passes with every example (the dashboard ones one at a time) in overrides', async () => {
    const merged: Record<string, unknown> = {};
    const deepMerge = (into: Record<string, unknown>, from: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(from)) {
        if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object')
          deepMerge(into[k] as Record<string, unknown>, v as Record<string, unknown>);
        else into[k] = v;
      }
    };
    for (const e of examples.filter((x) => !x.section.startsWith('2.5.10'))) deepMerge(merged, structuredClone(e.spec));
    const dir = tempDir('calisti-docs-cp-');
    const text = model(merged);
    for (const [p, f] of renderRepo(parseFleet(text))) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), f.content);
    }
    writeFileSync(join(dir, 'calisti.yaml'), text);
    const report = await runValidate({ dir, strict: false, crds: CRD_PATHS, cacheDir: null });
    const bad = report.findings.filter((f) => f.severity === 'error' || f.rule.startsWith('schema/'));
    expect(bad).toEqual([]);
  }, 120_000);
});
