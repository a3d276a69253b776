/**
 * Writes schemas/builtin-kinds.json: every field of every Kubernetes API type with its type, from
 * @kubernetes/client-node's model, so `validate` checks built-in kinds without importing the cluster
 * client (half a second of start-up). Run by `npm run schema`; a test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '../toolkit.js';

type ModelClass = { getAttributeTypeMap(): { baseName: string; type: string }[] };

export async function builtinTypes(): Promise<Record<string, Record<string, string>>> {
  const k8s = (await import('@kubernetes/client-node')) as unknown as Record<string, unknown>;
  const out: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(k8s).sort()) {
    const cls = k8s[name] as Partial<ModelClass> | undefined;
    if (typeof cls?.getAttributeTypeMap !== 'function') continue;
    out[name] = Object.fromEntries(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  }
  return out;
}

export const BUILTIN_SCHEMA_FILE = join(schemasDir, 'builtin-kinds.json');

if (process.argv[1]?.endsWith('write-builtin-schemas.js')) {
  writeFileSync(BUILTIN_SCHEMA_FILE, `${JSON.stringify(await builtinTypes())}\n`);
}
