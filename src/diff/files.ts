/**
 * Unified file diffs with secret values redacted: a diff may go into a pull-request comment. A value
 * is shown only as changed or unchanged against the other side, never in any derived form (a digest
 * of a weak password is as good as the password).
 */
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { parseDocuments, secretValues, type ValuePath } from '../secrets/detect.js';

const MANIFEST = /\.(ya?ml|json)$/i;

/** Secret values of a text by owner and key, as JSON, to tell changed from unchanged. */
function valuesOf(text: string | undefined): Map<string, string> | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDocuments(text);
  if (!parsed.ok) return undefined;
  const out = new Map<string, string>();
  for (const doc of parsed.objects) for (const v of secretValues(doc)) out.set(`${v.owner}\0${v.key}`, JSON.stringify(get(doc, v.path)));
  return out;
}

function get(doc: unknown, path: ValuePath): unknown {
  return path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), doc);
}

function set(doc: unknown, path: ValuePath, value: unknown): void {
  const parent = get(doc, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

/**
 * The file with every Secret value (Secrets in any spelling, List items, SealedSecret ciphertext,
 * secretGenerator literals, credential-named Helm values) replaced by `<redacted: changed>` or
 * `<redacted: unchanged>` compared with `other`, the file's other side. A manifest that does not
 * parse is not shown at all: its values could not be found.
 */
export function redactSecrets(path: string, text: string, other?: string): string {
  const parsed = parseDocuments(text);
  if (!parsed.ok) return MANIFEST.test(path) ? `<contents not shown: the file does not parse (${parsed.reason}), so Secret values could not be redacted>\n` : text;
  if (!parsed.objects.some((d) => secretValues(d).length > 0)) return text;
  const theirs = valuesOf(other);
  const mine = valuesOf(text)!;
  for (const doc of parsed.objects) {
    for (const v of secretValues(doc)) {
      const key = `${v.owner}\0${v.key}`;
      const same = theirs !== undefined && theirs.get(key) === mine.get(key);
      const marker = theirs === undefined ? '<redacted>' : same ? '<redacted: unchanged>' : '<redacted: changed>';
      const old = get(doc, v.path);
      set(doc, v.path, typeof old === 'string' && /^[^=]+=/.test(old) && v.path.includes('literals') ? `${v.key}=${marker}` : marker);
    }
  }
  return parsed.objects.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  const a = before === undefined ? '' : redactSecrets(path, before, after);
  const b = after === undefined ? '' : redactSecrets(path, after, before);
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, after === undefined ? '/dev/null' : `b/${path}`, a, b, undefined, undefined, { context: 3 })
    .split('\n')
    .slice(1) // the "===" header line
    .join('\n');
}
