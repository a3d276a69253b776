/** validate's text output, as a person reads it: pure, from a hand-made report. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/validate/findings.js';
import type { ValidateReport } from '../../src/validate/index.js';
import { formatText } from '../../src/validate/report.js';

const finding = (cluster: string, message: string): Finding => ({
  rule: 'secret/unsealed-placeholder',
  severity: 'warning',
  message,
  cluster,
  resource: { apiVersion: 'v1', kind: 'Secret', name: `pull-${cluster}`, namespace: 'smm-registry-access' },
});
const report = (findings: Finding[]): ValidateReport => ({
  dir: '.',
  ok: true,
  strict: false,
  summary: { errors: 0, warnings: findings.length, infos: 0, applications: 1, clusters: 3, builds: 1, cachedBuilds: 0, sharedBuilds: 0 },
  findings,
});

describe('validate text output', () => {
  it('sorts clusters naturally: wc-2 before wc-10', () => {
    const text = formatText(report([finding('wc-10', 'a'), finding('wc-2', 'b'), finding('wc-1', 'c')]));
    const order = [...text.matchAll(/^cluster (\S+):/gm)].map((m) => m[1]);
    expect(order).toEqual(['wc-1', 'wc-2', 'wc-10']);
  });

  it('prints a finding repeated word for word once, with its count', () => {
    const same = Array.from({ length: 301 }, (_, i) => finding(`wc-${i}`, 'placeholder: seal it'));
    const text = formatText(report(same));
    expect(text.match(/placeholder: seal it/g)).toHaveLength(1);
    expect(text).toContain('x301');
  });

  it('-q prints only the summary line', () => {
    const text = formatText(report([finding('wc-1', 'a'), finding('wc-2', 'b')]), false, true);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/^ok: 0 error\(s\), 2 warning\(s\)/);
  });
});
