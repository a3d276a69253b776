/** Lookups per cluster answer what a scan of the list would. */
import { describe, expect, it } from 'vitest';
import { findBy, placedOn } from '../../src/model/membership.js';

const list = [
  { id: 'a', clusters: ['c1', 'c2'] },
  { id: 'b' },
  { id: 'c', clusters: ['c2', 'c2'] },
  { id: 'd', clusters: [] },
  { id: 'e' },
  { id: 'f', clusters: ['c1'] },
];
const scan = (cluster: string, unset: 'all' | 'none') => list.filter((o) => (o.clusters ? o.clusters.includes(cluster) : unset === 'all'));

describe('placedOn', () => {
  it.each([
    ['c1', 'none'],
    ['c1', 'all'],
    ['c2', 'none'],
    ['c2', 'all'],
    ['c3', 'none'],
    ['c3', 'all'],
  ] as const)('on %s with unset=%s gives the items a scan gives, in list order, once each', (cluster, unset) => {
    expect(placedOn(list, cluster, unset)).toEqual(scan(cluster, unset));
  });

  it('indexes a new list as a new list (models are replaced, never changed in place)', () => {
    expect(placedOn([{ clusters: ['x'] }], 'x')).toHaveLength(1);
    expect(placedOn([{ clusters: ['y'] }], 'x')).toHaveLength(0);
  });
});

describe('findBy', () => {
  const placement = [
    { cluster: 'c1', n: 1 },
    { cluster: 'c2', n: 2 },
    { cluster: 'c1', n: 3 },
  ];
  it('finds the first item with that value, by each key asked', () => {
    expect(findBy(placement, 'cluster', 'c1')?.n).toBe(1);
    expect(findBy(placement, 'cluster', 'c2')?.n).toBe(2);
    expect(findBy(placement, 'cluster', 'c9')).toBeUndefined();
  });
});
