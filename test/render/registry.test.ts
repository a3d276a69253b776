/** The application registry: every generated app's overlay folders and ApplicationSet elements agree. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GENERATED_APPS } from '../../src/model/argocd.js';
import { parseFleet } from '../../src/model/load.js';
import { APPS } from '../../src/render/apps/registry.js';
import { renderRepo } from '../../src/render/index.js';
import { examplesDir, toolkitRoot } from '../../src/toolkit.js';

describe.each(['multi-cluster', 'active-active', 'single-cluster'])('registry on %s', (example) => {
  const tree = renderRepo(parseFleet(readFileSync(join(examplesDir, example, 'calisti.yaml'), 'utf8')));

  it.each(APPS.map((a) => [a.name, a] as const))('%s: one overlay per ApplicationSet element, named in apps/kustomization.yaml', (name, app) => {
    const appSet = tree.get(`apps/${name}/app-set.yaml`);
    const overlays = [...tree.keys()].flatMap((p) => p.match(new RegExp(`^manifests/${name}/overlays/([^/]+)/kustomization\\.yaml$`))?.[1] ?? []);
    if (!appSet || !app.overlay) {
      expect(overlays).toEqual([]);
      return;
    }
    const doc = parse(appSet.content);
    expect(doc.metadata.name).toBe(app.appSetName);
    const elements = doc.spec.generators[0].list.elements.map((e: { cluster: string }) => e.cluster);
    expect(elements.sort()).toEqual(overlays.sort());
    expect(parse(tree.get('apps/kustomization.yaml')!.content).resources).toContain(`${name}/app-set.yaml`);
  });

  it('each app is one module, in the folder of its name', () => {
    for (const app of APPS) expect(existsSync(join(toolkitRoot, 'src', 'render', 'apps', app.name, 'index.ts')), app.name).toBe(true);
  });

  it('the model names every registered app, so argocd.applications can set each', () => {
    expect(APPS.map((a) => a.name)).toEqual([...GENERATED_APPS]);
  });

  it('app names, ApplicationSet names and Application prefixes are unique', () => {
    for (const key of ['name', 'appSetName', 'appPrefix'] as const) expect(new Set(APPS.map((a) => a[key])).size).toBe(APPS.length);
  });
});
