/** What the mesh feature tests share: a small fleet model, rendered to disk and built with the real kustomize. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { findKustomize, kustomizeBuild } from '../../../src/kustomize/build.js';
import { parseFleet } from '../../../src/model/load.js';
import { renderRepo } from '../../../src/render/index.js';
import type { SealedStore } from '../../../src/secrets/store.js';
import { parseYamlDocs, tempDir } from '../../helpers.js';

const tool = findKustomize();

/** A Calisti 1.12.0 fleet: `clusters` and `rest` are YAML written at the top level. */
export const fleetModel = (clusters: string, rest: string) => `apiVersion: calisti-gitops.io/v1alpha1
kind: Fleet
calisti:
  version: 1.12.0
git:
  repoURL: https://example.org/fleet.git
clusters:
${clusters}
${rest}`;

/** Renders the model into a temporary folder; `build` builds one overlay, cleanly, into objects. */
export function renderToDisk(model: string, sealed?: SealedStore) {
  const tree = renderRepo(parseFleet(model), sealed);
  const dir = tempDir();
  for (const [p, f] of tree) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), f.content);
  }
  const build = async (overlay: string): Promise<Record<string, any>[]> => {
    const b = await kustomizeBuild(tool, join(dir, overlay));
    expect(b.ok, b.stderr).toBe(true);
    expect(b.stderr).toBe('');
    return parseYamlDocs(b.yaml);
  };
  return { tree, dir, build };
}
