/** Unified file diffs with secret values redacted: a diff may go into a pull-request comment. */
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { isMap, isScalar, parseAllDocuments, visit } from 'yaml';

const SECRET_KINDS = new Set(['Secret', 'SealedSecret']);
const SECRET_FIELDS = new Set(['data', 'stringData', 'encryptedData']);

/** The file with every value under data/stringData/encryptedData of a Secret replaced by a digest. */
export function redactSecrets(path: string, text: string): string {
  if (!/\.ya?ml$/.test(path) || !/kind:\s*(Sealed)?Secret\b/.test(text)) return text;
  const docs = parseAllDocuments(text);
  if (docs.some((d) => d.errors.length > 0)) return text.replace(/^(\s+\S+:\s*).+$/gm, '$1<redacted: unparsable Secret file>');
  return docs
    .map((doc) => {
      const kind = doc.get('kind');
      if (!SECRET_KINDS.has(String(kind))) return doc.toString();
      for (const field of SECRET_FIELDS) {
        for (const container of [doc.get(field, true), doc.getIn(['spec', field], true)]) {
          if (!isMap(container)) continue;
          visit(container, {
            Scalar(_, node) {
              if (isScalar(node) && typeof node.value === 'string' && container.items.some((p) => p.value === node)) {
                node.value = `<redacted sha256:${createHash('sha256').update(node.value).digest('hex').slice(0, 12)}>`;
              }
            },
          });
        }
      }
      return doc.toString();
    })
    .join('---\n');
}

export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  const a = before === undefined ? '' : redactSecrets(path, before);
  const b = after === undefined ? '' : redactSecrets(path, after);
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, after === undefined ? '/dev/null' : `b/${path}`, a, b, undefined, undefined, { context: 3 })
    .split('\n')
    .slice(1) // the "===" header line
    .join('\n');
}
