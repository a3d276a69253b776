/** CustomResourceDefinitions as a lookup: apiVersion + kind -> the version's openAPIV3Schema. */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { JsonSchema } from './structural.js';

export interface CrdIndex {
  get(apiVersion: string, kind: string): JsonSchema | undefined;
  kinds(): string[];
}

export class CrdRegistry implements CrdIndex {
  private readonly schemas = new Map<string, JsonSchema>();

  addText(text: string): this {
    for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
      if ('errors' in doc && doc.errors.length > 0) continue;
      const crd = doc.toJS({ maxAliasCount: 100 }) as Record<string, any> | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const group: string = crd.spec?.group;
      const kind: string = crd.spec?.names?.kind;
      for (const v of crd.spec?.versions ?? []) {
        const schema = v.schema?.openAPIV3Schema ?? crd.spec?.validation?.openAPIV3Schema;
        if (schema) this.schemas.set(`${group}/${v.name}|${kind}`, schema);
      }
    }
    return this;
  }

  addFile(path: string): this {
    return this.addText(readFileSync(path, 'utf8'));
  }

  get(apiVersion: string, kind: string): JsonSchema | undefined {
    return this.schemas.get(`${apiVersion}|${kind}`);
  }

  kinds(): string[] {
    return [...this.schemas.keys()].sort();
  }
}
