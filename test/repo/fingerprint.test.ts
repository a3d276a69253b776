/**
 * The toolkit's fingerprint covers the code the process runs: the bundle or tsc's output with what
 * they read from src (the Go template engine, the prose templates), or the sources under test.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runningCode } from '../../src/repo/fingerprint.js';
import { toolkitRoot } from '../../src/toolkit.js';

describe('runningCode', () => {
  it.each([
    ['dist/cli/chunks/chunk-ABC.js', ['dist/cli', 'src/argocd/gotemplate', 'src/render/templates']],
    ['dist/cli/main.js', ['dist/cli', 'src/argocd/gotemplate', 'src/render/templates']],
    ['dist/src/repo/fingerprint.js', ['dist/src', 'src/argocd/gotemplate', 'src/render/templates']],
    ['src/repo/fingerprint.ts', ['src']],
  ])('%s runs %o', (file, code) => {
    expect(runningCode(join(toolkitRoot, ...file.split('/')))).toEqual(code);
  });
});
