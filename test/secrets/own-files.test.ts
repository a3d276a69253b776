/** The tool's own state files grow with the fleet (generated.json is 5 MB at 6,000 clusters): checked, not refused. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plaintextSecrets } from '../../src/secrets/leak.js';
import { tempDir } from '../helpers.js';

describe('leak guard and large files', () => {
  it('checks a large state file of the tool instead of refusing it; any other large file stays refused', () => {
    const root = tempDir();
    mkdirSync(join(root, '.calisti-gitops'));
    const files = Object.fromEntries(Array.from({ length: 120_000 }, (_, i) => [`manifests/app/overlays/c${i}/kustomization.yaml`, 'a'.repeat(40)]));
    const state = JSON.stringify({ files });
    expect(state.length).toBeGreaterThan(4 * 1024 * 1024);
    writeFileSync(join(root, '.calisti-gitops', 'generated.json'), state);
    const own = new Set(['.calisti-gitops/generated.json']);
    expect(plaintextSecrets(root, undefined, undefined, own)).toEqual([]);
    expect(plaintextSecrets(root)).toEqual([expect.stringMatching(/^\.calisti-gitops\/generated\.json \(larger than 4194304 bytes: cannot be checked\)$/)]);
    // Still read: a Secret in clear inside an own file is found.
    writeFileSync(
      join(root, '.calisti-gitops', 'generated.json'),
      JSON.stringify({ files, kind: 'Secret', apiVersion: 'v1', metadata: { name: 'x' }, stringData: { password: 'hunter2-hunter2' } }),
    );
    expect(plaintextSecrets(root, undefined, undefined, own)).toEqual([expect.stringMatching(/generated\.json \(Secret/)]);
  });
});
