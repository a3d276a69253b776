/** The README's graph section shows the picture `graph` draws for the multi-cluster example (its golden), so it cannot go stale. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { toolkitRoot } from '../../src/toolkit.js';

it('README: the fleet as a picture is the multi-cluster golden Mermaid', () => {
  const readme = readFileSync(join(toolkitRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The fleet as a picture'));
  const block = /```mermaid\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBe(readFileSync(join(toolkitRoot, 'test', 'golden', 'graph', 'multi-cluster.mmd'), 'utf8'));
});
