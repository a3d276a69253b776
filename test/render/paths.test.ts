/** Every path a render writes is one `generate` may later delete: the two lists must agree. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { isGeneratedPath } from '../../src/render/layout.js';
import { examplesDir } from '../../src/toolkit.js';

describe('generated paths', () => {
  it.each(readdirSync(examplesDir))('every file of the %s example is a path generate owns', (example) => {
    const paths = [...renderRepo(parseFleet(readFileSync(join(examplesDir, example, 'calisti.yaml'), 'utf8'))).keys()];
    expect(paths.filter((p) => !isGeneratedPath(p))).toEqual([]);
  });

  it.each(['.git/HEAD', '../x', '/etc/passwd', 'manifests/../.git/config', 'calisti.yaml', 'charts/smm-operator/Chart.yaml', 'manifests/a/.git/x'])(
    '%s is never one',
    (p) => {
      expect(isGeneratedPath(p)).toBe(false);
    },
  );
});
