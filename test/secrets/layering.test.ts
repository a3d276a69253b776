/**
 * src/secrets is a stage below the renderer: render, repo and validate use it, never the reverse,
 * so the leak guard and the sealed-values format can be read without pulling in the pipeline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..', '..', 'src');
const ABOVE = ['render', 'repo', 'validate', 'diff', 'upgrade', 'cluster', 'cli', 'graph', 'argocd'];

describe('src/secrets', () => {
  it('imports nothing from the stages above it', () => {
    const upward = readdirSync(join(SRC, 'secrets'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(SRC, 'secrets', f), 'utf8').matchAll(/from '\.\.\/([a-z-]+)\//g)].map((m) => `${f} -> ${m[1]}`))
      .filter((edge) => ABOVE.includes(edge.split(' -> ')[1]!));
    expect(upward).toEqual([]);
  });
});
