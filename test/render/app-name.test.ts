/** Application names: `<prefix>-<cluster>` as it is when it fits Argo CD's 63-character tracking label, else cut with a stable hash. */
import { describe, expect, it } from 'vitest';
import { applicationName, MAX_APPLICATION_NAME } from '../../src/render/app-name.js';

const long = (tail: string) => `${'a-very-long-workload-cluster-name-in-region-eu-west-1'}-${tail}`.slice(0, 63);

describe('applicationName (fixture table)', () => {
  it.each<[string, string, string, string]>([
    ['a short name is unchanged', 'smm-operator', 'workload-cluster-1', 'smm-operator-workload-cluster-1'],
    ['a name of exactly 63 is unchanged', 'smm-cp', 'c'.repeat(56), `smm-cp-${'c'.repeat(56)}`],
    ['one over 63 is cut and hashed', 'smm-cp', 'c'.repeat(57), `smm-cp-${'c'.repeat(47)}-2c81c0a4`],
    ['a cut ending in "-" drops it before the hash', 'demo-app', `${'d'.repeat(45)}-${'e'.repeat(20)}`, `demo-app-${'d'.repeat(45)}-df85147a`],
  ])('%s', (_case, prefix, cluster, expected) => {
    expect(applicationName(prefix, cluster)).toBe(expected);
  });

  it('keeps every name within 63 characters, a label value ending in a letter or digit', () => {
    for (const prefix of ['smm-operator', 'smm-cp', 'demo-app', 'mesh-policies', 'sealed-secrets'])
      for (let n = 1; n <= 63; n++) {
        const name = applicationName(prefix, `${'x-'.repeat(32)}`.slice(0, n).replace(/-$/, 'y'));
        expect(name.length, name).toBeLessThanOrEqual(MAX_APPLICATION_NAME);
        expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      }
  });

  it('gives distinct names to clusters that share a long prefix, the same name on every call', () => {
    const clusters = ['1', '2', 'a', 'b', '10'].map(long);
    const names = clusters.map((c) => applicationName('smm-operator', c));
    expect(new Set(names).size).toBe(clusters.length);
    expect(clusters.map((c) => applicationName('smm-operator', c))).toEqual(names);
  });
});
