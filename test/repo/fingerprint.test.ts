/**
 * The toolkit's fingerprint covers the code the process runs: the bundle, tsc's output with the
 * prose templates it reads, or the sources under test.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runningCode } from '../../src/repo/fingerprint.js';
import { toolkitRoot } from '../../src/toolkit.js';

describe('runningCode', () => {
  it.each([
    ['dist/cli/chunks/chunk-ABC.js', ['dist/cli']],
    ['dist/cli/main.js', ['dist/cli']],
    ['dist/src/repo/fingerprint.js', ['dist/src', 'src/render/templates']],
    ['src/repo/fingerprint.ts', ['src']],
  ])('%s runs %o', (file, code) => {
    expect(runningCode(join(toolkitRoot, ...file.split('/')))).toEqual(code);
  });
});
