/**
 * Golden files: the multi-cluster example's whole rendered tree, byte for byte. After an intended
 * change, review the diff and refresh with: UPDATE_GOLDEN=1 npx vitest run test/render/golden.test.ts
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { examplesDir, toolkitRoot } from '../../src/toolkit.js';
import { listFiles } from '../helpers.js';

describe.each(['multi-cluster', 'active-active'])('golden %s', (example) => {
  const golden = join(toolkitRoot, 'test', 'golden', example);
  const tree = renderRepo(parseFleet(readFileSync(join(examplesDir, example, 'calisti.yaml'), 'utf8')));
  // The JSON Schema has its own freshness test.
  tree.delete('.calisti-gitops/calisti.schema.json');

  if (process.env.UPDATE_GOLDEN) {
    rmSync(golden, { recursive: true, force: true });
    for (const [p, f] of tree) {
      mkdirSync(dirname(join(golden, p)), { recursive: true });
      writeFileSync(join(golden, p), f.content);
    }
  }

  it('has the same files', () => {
    expect(existsSync(golden)).toBe(true);
    expect([...tree.keys()]).toEqual(listFiles(golden));
  });

  it('has the same bytes in every file', () => {
    for (const [p, f] of tree) expect(f.content, p).toBe(readFileSync(join(golden, p), 'utf8'));
  });
});
