/**
 * Shared shape builds must give exactly what one kustomize build per overlay gives. Proven on a
 * generated fleet, and on a repo built to make token substitution wrong, where the check build
 * must catch it and fall back.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetModel } from '../../bench/fleet.js';
import { findKustomize } from '../../src/kustomize/build.js';
import { Builder } from '../../src/validate/builds.js';
import { cli, tempDir } from '../helpers.js';

const tool = findKustomize();

async function buildAll(root: string, paths: string[], shareShapes: boolean) {
  const builder = new Builder(root, tool, undefined, { shareShapes });
  try {
    await builder.prefetch(paths.map((path) => ({ path })));
    const out = new Map<string, unknown>();
    for (const path of paths) {
      const b = await builder.build({ path });
      out.set(path, { ok: b.ok, stderr: b.stderr, objects: b.objects });
    }
    return { out, builds: builder.builds, shared: builder.sharedBuilds };
  } finally {
    builder.dispose();
  }
}

const overlays = (root: string) =>
  readdirSync(join(root, 'manifests')).flatMap((app) => {
    try {
      return readdirSync(join(root, 'manifests', app, 'overlays')).map((c) => `manifests/${app}/overlays/${c}`);
    } catch {
      return [];
    }
  });

describe('shared shape builds', () => {
  it('equal one build per overlay on a generated fleet, with far fewer kustomize runs', async () => {
    const root = join(tempDir(), 'repo');
    const model = join(tempDir(), 'fleet.yaml');
    writeFileSync(model, fleetModel(12));
    expect((await cli('init', root, '-f', model)).code).toBe(0);
    const paths = overlays(root);
    const shared = await buildAll(root, paths, true);
    const single = await buildAll(root, paths, false);
    expect(shared.out).toEqual(single.out);
    // Identical overlays (all smm-operator ones, demo-app ones of one role) already share by content.
    expect(single.builds).toBeLessThan(paths.length);
    expect(shared.shared).toBeGreaterThan(0);
    expect(shared.builds).toBeLessThan(single.builds);
    // Requesters share a build's objects: they are frozen, so no rule can change another cluster's view.
    const objects = [...shared.out.values()].flatMap((b) => (b as { objects: { obj: Record<string, unknown> }[] }).objects);
    expect(objects.length).toBeGreaterThan(0);
    for (const { obj } of objects) {
      expect(Object.isFrozen(obj) && Object.isFrozen(obj.metadata)).toBe(true);
      expect(() => {
        (obj.metadata as Record<string, unknown>).name = 'changed';
      }).toThrow(TypeError);
    }
  });

  it('fall back to separate builds when substituted values would change what kustomize does', async () => {
    const root = tempDir();
    const write = (p: string, s: string) => {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), s);
    };
    write('base/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  cluster: none\n  suffix: none\n');
    write('base/kustomization.yaml', 'resources: [cm.yaml]\n');
    // A replacement that splits the overlay's value: a token has no "-" to split on.
    const overlay = [
      'resources: [../../base]',
      'patches:',
      '  - path: patch.yaml',
      'replacements:',
      '  - source: { kind: ConfigMap, name: cfg, fieldPath: data.cluster, options: { delimiter: "-", index: 1 } }',
      '    targets:',
      '      - select: { kind: ConfigMap, name: cfg }',
      '        fieldPaths: [data.suffix]',
      '',
    ].join('\n');
    const paths: string[] = [];
    for (const i of [1, 2, 3, 4]) {
      write(`overlays/c${i}/kustomization.yaml`, overlay);
      write(`overlays/c${i}/patch.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  cluster: alpha-${i}\n`);
      paths.push(`overlays/c${i}`);
    }
    const shared = await buildAll(root, paths, true);
    const single = await buildAll(root, paths, false);
    expect(shared.out).toEqual(single.out);
    expect(shared.shared).toBe(0);
    const cm = (single.out.get('overlays/c3') as { objects: { obj: { data: Record<string, string> } }[] }).objects[0]!.obj;
    expect(cm.data).toEqual({ cluster: 'alpha-3', suffix: '3' });
  });
});
