/** CustomResourceDefinitions as a lookup: apiVersion + kind -> the version's openAPIV3Schema. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadOutput } from '../fast-yaml.js';
import { z } from 'zod';
import { field, list, map } from './objects.js';
import type { JsonSchema } from './structural.js';

/** The fields of a CustomResourceDefinition (v1, or v1beta1's one `validation`) the registry reads. */
const Crd = z.looseObject({
  kind: field,
  spec: map({
    group: field,
    names: map({ kind: field }),
    versions: list(map({ name: field, schema: map({ openAPIV3Schema: field }) })),
    validation: map({ openAPIV3Schema: field }),
  }),
});

/** An anchor (`&name`) where a node can start: only then can the text hold aliases. */
const ANCHOR = /(^|[\s[{,])&[^\s]/m;

/**
 * Each document's data, a repeated key's last value winning. CRDs are big and position-free: the
 * fast reader takes them unless they hold anchors (`yaml` caps alias expansion) or it refuses them;
 * `yaml` then reads them, skipping documents with errors.
 */
function crdDocuments(text: string): unknown[] {
  if (!ANCHOR.test(text)) {
    try {
      return loadOutput(text);
    } catch {
      // bad syntax somewhere: `yaml` keeps the documents that parse
    }
  }
  return parseAllDocuments(text, { uniqueKeys: false }).flatMap((doc) => (doc.errors.length > 0 ? [] : [doc.toJS({ maxAliasCount: 100 })]));
}

export interface CrdIndex {
  get(apiVersion: string, kind: string): JsonSchema | undefined;
  kinds(): string[];
}

const fileCache = new Map<string, Map<string, JsonSchema>>();

export class CrdRegistry implements CrdIndex {
  private readonly schemas = new Map<string, JsonSchema>();

  addText(text: string): this {
    for (const data of crdDocuments(text)) {
      const crd = Crd.safeParse(data);
      if (!crd.success || crd.data.kind !== 'CustomResourceDefinition') continue;
      const spec = crd.data.spec;
      for (const v of spec?.versions ?? []) {
        const schema = v?.schema?.openAPIV3Schema ?? spec?.validation?.openAPIV3Schema;
        if (schema) this.schemas.set(`${spec?.group}/${v?.name}|${spec?.names?.kind}`, schema as JsonSchema);
      }
    }
    return this;
  }

  /**
   * CRD files are large (Argo CD's ApplicationSet CRD is 1.4 MB of YAML): each is parsed once per
   * process, and with a cache folder once per content, kept as JSON that loads ten times faster.
   */
  addFile(path: string, cacheDir?: string): this {
    const st = statSync(path);
    const key = `${path}:${st.size}:${st.mtimeMs}`;
    let parsed = fileCache.get(key);
    if (!parsed) {
      const text = readFileSync(path);
      const cached = cacheDir ? join(cacheDir, `crd-${createHash('sha256').update(text).digest('hex')}.json`) : undefined;
      if (cached && existsSync(cached)) {
        parsed = new Map(JSON.parse(readFileSync(cached, 'utf8')) as [string, JsonSchema][]);
      } else {
        parsed = new CrdRegistry().addText(text.toString('utf8')).schemas;
        if (cached) {
          mkdirSync(cacheDir!, { recursive: true });
          writeFileSync(`${cached}.${process.pid}`, JSON.stringify([...parsed]));
          renameSync(`${cached}.${process.pid}`, cached);
        }
      }
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
