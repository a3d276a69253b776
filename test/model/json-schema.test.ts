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

  it('describes every property, so editors show hover docs for each field', () => {
    type Node = { [key: string]: unknown };
    const undescribed: string[] = [];
    let properties = 0;
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, at));
      if (node === null || typeof node !== 'object') return;
      const n = node as Node;
      for (const [key, child] of Object.entries((n.properties ?? {}) as Record<string, Node>)) {
        properties++;
        if (typeof child.description !== 'string' || child.description.length < 8) undescribed.push(`${at}.${key}`);
        walk(child, `${at}.${key}`);
      }
      for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties', '$defs', 'prefixItems']) walk(n[key], key === 'items' ? `${at}[]` : at);
    };
    walk(JSON.parse(fleetJsonSchema()), '');
    expect(properties).toBeGreaterThan(80);
    expect(undescribed).toEqual([]);
  });
});
