/** The JSON Schema of calisti.yaml, generated from the zod model so editors check what we check. */
import { z } from 'zod';
import { API_VERSION, fleetSchema } from './schema.js';

export const SCHEMA_ID = 'https://calisti-gitops.io/schemas/calisti.schema.json';

export function fleetJsonSchema(): string {
  const schema = z.toJSONSchema(fleetSchema(), { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  const out = {
    $id: SCHEMA_ID,
    title: `calisti-gitops fleet model (${API_VERSION})`,
    ...schema,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
