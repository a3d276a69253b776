/**
 * calisti.yaml -> Fleet. YAML syntax errors and schema errors both come back located
 * (`calisti.yaml:12:5 clusters[1].name: ...`), all at once, so one run shows every problem.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { formatFieldPath, ModelError, UserError, type Located } from '../errors.js';
import { fleetSchema, type Fleet } from './schema.js';
import { loadDocument } from '../fast-yaml.js';
import { readRegularFile } from '../repo/fs.js';

/** Refuse inputs that could only be hostile or broken before spending time on them. */
// A 10,000-cluster fleet written out in full is about 3 MB; anything much larger is not a fleet model.
export const MAX_MODEL_BYTES = 8 * 1024 * 1024;

export function parseFleet(text: string, file = 'calisti.yaml'): Fleet {
  return parseModelDocument(text, file, fleetSchema());
}

/** Any YAML file we own, parsed strictly with located errors. */
export function parseModelDocument<S extends z.ZodType>(text: string, file: string, schema: S): z.infer<S> {
  if (Buffer.byteLength(text) > MAX_MODEL_BYTES) {
    throw new ModelError([
      { file, line: 1, col: 1, path: '', message: `is larger than ${MAX_MODEL_BYTES} bytes; a fleet model of 10,000 clusters is about 3 MB` },
    ]);
  }
  if (text.includes('\uFFFD')) {
    throw new ModelError([{ file, line: 1, col: 1, path: '', message: 'is not valid UTF-8' }]);
  }
  // Most models are valid: read them without the source positions that only errors need.
  const fast = plainYaml(text) ? fastData(text) : undefined;
  if (fast !== undefined) {
    const result = schema.safeParse(fast);
    if (result.success) return result.data as z.infer<S>;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => lines.linePos(offset);

  if (doc.errors.length > 0) {
    throw new ModelError(
      doc.errors.map((e) => {
        const pos = at(e.pos[0]);
        return { file, line: pos.line, col: pos.col, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  if (doc.contents === null) {
    throw new ModelError([{ file, line: 1, col: 1, path: '', message: 'is empty; start from an example: calisti-gitops init <dir> --example multi-cluster' }]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ModelError([{ file, line: 1, col: 1, path: '', message: `YAML: ${(e as Error).message}` }]);
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data as z.infer<S>;
  throw new ModelError(locateIssues(result.error.issues, doc, lines, file));
}

/**
 * Text both parsers read alike for certain: no anchors or aliases (`yaml` caps their expansion),
 * tags, directives, complex keys or merge keys. Anything else takes the located path.
 */
const plainYaml = (text: string) => !/[&*!%?\t]|<</.test(text);

function fastData(text: string): unknown {
  try {
    return loadDocument(text) ?? undefined;
  } catch {
    return undefined;
  }
}

/** A model file's text; bytes that are not UTF-8 become U+FFFD, which parseFleet then reports. */
export function readModelText(path: string, displayName = path): string {
  let bytes: Buffer;
  try {
    // A model larger than a fleet's is still read, up to a limit, so its error is the located one;
    // a device or FIFO in its place (a link to /dev/zero) is refused, not read forever.
    bytes = readRegularFile(path, 4 * MAX_MODEL_BYTES, displayName);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      `cannot read the model ${displayName}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'pass the model with -f <file>, or run in a repo made by calisti-gitops init',
    );
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

export function loadFleet(path: string, displayName = path): Fleet {
  return parseFleet(readModelText(path, displayName), displayName);
}

function locateIssues(issues: z.core.$ZodIssue[], doc: Document, lines: LineCounter, file: string): Located[] {
  const out: Located[] = [];
  for (const issue of issues) {
    const path = [...issue.path];
    let message = issue.message;
    // An unknown key is reported at the key itself.
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
      for (const key of issue.keys) {
        const keyNode = findKey(doc, path, key);
        const pos = lines.linePos(keyNode?.range?.[0] ?? 0);
        out.push({
          file,
          line: pos.line,
          col: pos.col,
          path: formatFieldPath([...path, key]),
          message: 'unknown field (check the spelling; see schemas/calisti.schema.json)',
        });
      }
      continue;
    }
    let node = nodeAt(doc, path);
    // A missing field is reported at the map that should hold it.
    const missing = node === undefined;
    let parent = path;
    while (node === undefined && parent.length > 0) {
      parent = parent.slice(0, -1);
      node = nodeAt(doc, parent);
    }
    if (missing && /received undefined/.test(message)) message = `is required (${message})`;
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    out.push({ file, line: pos.line, col: pos.col, path: formatFieldPath(path), message });
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

function nodeAt(doc: Document, path: PropertyKey[]): Node | undefined {
  if (path.length === 0) return doc.contents ?? undefined;
  const node = doc.getIn(path as unknown[], true);
  return node && typeof node === 'object' && 'range' in (node as object) ? (node as Node) : undefined;
}

function findKey(doc: Document, path: PropertyKey[], key: string): Node | undefined {
  const map = nodeAt(doc, path);
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === key) return item.key;
  }
  return undefined;
}
