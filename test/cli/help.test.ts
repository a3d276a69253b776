import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

describe('--help', () => {
  it('marks required options', async () => {
    const r = await cli('seal', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--cert <file>\s+\(required\) the sealed-secrets controller certificate/);
    expect(r.stdout).not.toMatch(/--commit\s+\(required\)/);
  });
});
