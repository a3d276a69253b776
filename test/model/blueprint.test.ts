import { describe, expect, it } from 'vitest';
import { blueprints, compareVersions, defaultIstio, knownVersions, revisionLabel, revisionName } from '../../src/model/blueprint.js';

describe('release blueprints', () => {
  it('cover the docs\' version matrix, oldest first', () => {
    expect(knownVersions()).toEqual(['1.9.1', '1.10.0', '1.11.0', '1.12.0']);
  });

  it('derive the docs\' revision names and labels', () => {
    expect(revisionName('1.15.3')).toBe('cp-v115x');
    expect(revisionName('1.13.5')).toBe('cp-v113x');
    expect(revisionLabel('cp-v115x', 'istio-system')).toBe('cp-v115x.istio-system');
  });

  it('install the Istio the docs name for each release', () => {
    const istio = Object.fromEntries([...blueprints()].map(([v, bp]) => [v, revisionName(defaultIstio(bp).version)]));
    expect(istio).toEqual({ '1.9.1': 'cp-v112x', '1.10.0': 'cp-v113x', '1.11.0': 'cp-v115x', '1.12.0': 'cp-v115x' });
  });

  it('keep the previous default Istio runnable, so an upgrade can run both side by side', () => {
    const list = [...blueprints().values()];
    for (let i = 1; i < list.length; i++) {
      const prev = defaultIstio(list[i - 1]!).version;
      expect(list[i]!.istio.versions.map((v) => v.version), list[i]!.calisti).toContain(prev);
    }
  });

  it('compare versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.1')).toBeGreaterThan(0);
    expect(compareVersions('1.12.0', '1.12.0')).toBe(0);
  });
});
