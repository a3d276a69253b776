/** Built-in kinds are checked against the Kubernetes model, precomputed from @kubernetes/client-node. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBuiltin, loadBuiltinModels } from '../../src/validate/builtin.js';
import { BUILTIN_SCHEMA_FILE, builtinTypes } from '../../src/validate/write-builtin-schemas.js';

describe('built-in kinds', () => {
  it('schemas/builtin-kinds.json is up to date with @kubernetes/client-node (regenerate with npm run schema)', async () => {
    expect(JSON.parse(readFileSync(BUILTIN_SCHEMA_FILE, 'utf8'))).toEqual(await builtinTypes());
  });

  it('report a misspelt field and a wrong type, and accept a valid object', async () => {
    const m = await loadBuiltinModels();
    expect(checkBuiltin(m, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', lables: {} } })).toEqual([
      { path: 'metadata.lables', message: 'unknown field: the API server would drop it silently', kind: 'unknown-field' },
    ]);
    expect(checkBuiltin(m, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { replicas: 'two' } })![0]).toMatchObject({
      path: 'spec.replicas',
      kind: 'invalid',
    });
    expect(checkBuiltin(m, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } })).toEqual([]);
    expect(checkBuiltin(m, { apiVersion: 'v1', kind: 'NoSuchKind' })).toBeUndefined();
  });
});
