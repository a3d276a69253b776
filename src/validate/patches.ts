/**
 * Where a field came from when a patch set it: kustomize records the file that declares a resource
 * (often a base), but a bad field is usually written in an overlay's patch. This finds the patch in
 * the built kustomization that sets the field, with its line.
 */
import { join, posix } from 'node:path';
import { LineCounter, parse, parseAllDocuments } from 'yaml';
import { isObj } from '../objects.js';
import { readRegularFile } from '../repo/fs.js';
import { MAX_MANIFEST_BYTES } from '../secrets/leak.js';
import { kustomizationFile, kustomizationOf } from './inputs.js';
import { meta, type KubeObject } from './objects.js';

/** A kustomization or patch file's text; a device, FIFO or oversized file in its place throws. */
const readManifest = (abs: string) => readRegularFile(abs, MAX_MANIFEST_BYTES).toString('utf8');

/** `spec.ports[0].name` -> ['spec', 'ports', 0, 'name'] */
export function fieldSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((\[\d+\])*)$/.exec(part);
    if (!m) return [];
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export class PatchLocator {
  private readonly cache = new Map<
    string,
    { file: string; docs: { kind?: unknown; name?: unknown; doc: ReturnType<typeof parseAllDocuments>[number] }[]; lines: LineCounter }[]
  >();
  constructor(private readonly root: string) {}

  private patchesOf(source: string) {
    let found = this.cache.get(source);
    if (found) return found;
    found = [];
    try {
      const kfile = kustomizationFile(join(this.root, source));
      const k = kfile ? kustomizationOf(parse(readManifest(join(this.root, source, kfile)))) : undefined;
      const paths: string[] = [...(k?.patches ?? []).map((p) => p?.path), ...(k?.patchesStrategicMerge ?? [])].filter(
        (p): p is string => typeof p === 'string' && !p.includes('\n'),
      );
      for (const p of paths) {
        const file = posix.normalize(posix.join(source, p));
        const lines = new LineCounter();
        const docs = parseAllDocuments(readManifest(join(this.root, file)), { lineCounter: lines }).map((doc) => {
          const o: unknown = doc.toJS();
          return isObj(o) ? { kind: o.kind, name: meta(o).name, doc } : { doc };
        });
        found.push({ file, docs, lines });
      }
    } catch {
      // An unreadable kustomization was reported by the build already.
    }
    this.cache.set(source, found);
    return found;
  }

  /** The overlay patch file and line that set `field` of `obj`, if one does. */
  locate(source: string, obj: KubeObject, field: string): { file: string; line: number } | undefined {
    const segments = fieldSegments(field);
    if (segments.length === 0) return undefined;
    for (const p of this.patchesOf(source)) {
      for (const d of p.docs) {
        if (d.kind !== obj.kind || d.name !== meta(obj).name) continue;
        // The field's key in the patch, so the line is where it is written.
        const parent = d.doc.getIn(segments.slice(0, -1), true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
        const key = parent?.items?.find((i) => i.key?.value === segments[segments.length - 1]);
        if (key?.key?.range) return { file: p.file, line: p.lines.linePos(key.key.range[0]).line };
      }
    }
    return undefined;
  }
}
