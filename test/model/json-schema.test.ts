import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetJsonSchema } from '../../src/model/json-schema.js';
import { schemasDir } from '../../src/toolkit.js';

describe('schemas/calisti.schema.json', () => {
  it('is up to date with the zod model (regenerate with npm run schema)', () => {
    expect(readFileSync(join(schemasDir, 'calisti.schema.json'), 'utf8')).toBe(fleetJsonSchema());
  });

  it('lists the supported versions and the cluster fields for editors', () => {
    const schema = JSON.parse(fleetJsonSchema());
    expect(schema.properties.calisti.properties.version.enum).toContain('1.12.0');
    expect(Object.keys(schema.properties.clusters.items.properties)).toEqual(expect.arrayContaining(['name', 'role', 'network', 'platform']));
    expect(schema.properties.clusters.items.additionalProperties).toBe(false);
  });
});
