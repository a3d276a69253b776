/** CustomResourceDefinitions as a lookup: apiVersion + kind -> the version's openAPIV3Schema. */
import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { JsonSchema } from './structural.js';

export interface CrdIndex {
  get(apiVersion: string, kind: string): JsonSchema | undefined;
  kinds(): string[];
}

const fileCache = new Map<string, Map<string, JsonSchema>>();

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
    // CRD files are large (Argo CD's ApplicationSet CRD is 1.4 MB): parse each once per process.
    const st = statSync(path);
    const key = `${path}:${st.size}:${st.mtimeMs}`;
    let parsed = fileCache.get(key);
    if (!parsed) {
      parsed = new CrdRegistry().addText(readFileSync(path, 'utf8')).schemas;
      fileCache.set(key, parsed);
    }
    for (const [k, v] of parsed) this.schemas.set(k, v);
    return this;
  }

  get(apiVersion: string, kind: string): JsonSchema | undefined {
    return this.schemas.get(`${apiVersion}|${kind}`);
  }

  kinds(): string[] {
    return [...this.schemas.keys()].sort();
  }
}
