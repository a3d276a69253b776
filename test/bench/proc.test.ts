/** The bench's interleaving: later rounds run the cases in seeded shuffles, so no case always follows the same one. */
import { describe, expect, it } from 'vitest';
import { shuffled } from '../../bench/proc.js';

const cases = Array.from({ length: 14 }, (_, i) => `case-${i}`);

describe('shuffled', () => {
  it('is a permutation, the same for the same seed', () => {
    for (const seed of [1, 2, 3, 40]) {
      expect([...shuffled(cases, seed)].sort()).toEqual([...cases].sort());
      expect(shuffled(cases, seed)).toEqual(shuffled(cases, seed));
    }
  });

  it('gives the last case another predecessor in each of the first rounds', () => {
    const predecessor = (order: string[]) => order[order.indexOf('case-13') - 1];
    const predecessors = new Set([predecessor(cases), predecessor(shuffled(cases, 1)), predecessor(shuffled(cases, 2))]);
    expect(predecessors.size).toBe(3);
  });
});
