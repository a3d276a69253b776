/** The state file: which generated file holds which blob, in one stable form that diffs line by line. */
import { describe, expect, it } from 'vitest';
import { parseState, serializeState } from '../../src/repo/state.js';

describe('serializeState', () => {
  const files = {
    'b/kustomization.yaml': 'b'.repeat(40),
    'a/"quoted" ü.yaml': 'a'.repeat(40),
    'README.md': 'c'.repeat(40),
    'a/b.yaml': 'd'.repeat(40),
  };

  it('writes what JSON.stringify writes with the paths sorted, one per line', () => {
    const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
    const text = serializeState({ files });
    expect(text).toBe(`${JSON.stringify({ files: sorted }, null, 2)}\n`);
    expect(text.split('\n')[2]).toBe(`    "README.md": "${'c'.repeat(40)}",`);
    expect(parseState(text).files).toEqual(files);
  });

  it('writes an empty state as JSON.stringify does', () => {
    expect(serializeState({ files: {} })).toBe(`${JSON.stringify({ files: {} }, null, 2)}\n`);
  });
});
