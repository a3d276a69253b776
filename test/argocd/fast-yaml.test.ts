import { describe, expect, it } from 'vitest';
import { loadDocuments } from '../../src/argocd/fast-yaml.js';

describe('the fast YAML reader', () => {
  it('reads like the position-keeping parser: YAML 1.2 core, merge keys, no timestamps', () => {
    expect(loadDocuments('a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\nd: 2024-01-01\ne: yes\nf: 0o17\n---\ng: ~\n')).toEqual([
      { a: { k: 1 }, b: { k: 1, j: 2 }, d: '2024-01-01', e: 'yes', f: 15 },
      { g: null },
    ]);
  });
  it('throws with a position on a syntax error', () => {
    expect(() => loadDocuments('a: [1,\n')).toThrow(/\(2:1\)/);
  });
});
