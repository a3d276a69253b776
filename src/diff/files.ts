/**
 * Unified file diffs with secret values redacted: a diff may go into a pull-request comment. Which
 * documents hold secrets is decided by the one detector on parsed data, so no spelling (flow style,
 * JSON, a List, an alias) slips through; a value shows only as a keyed digest whose key is new for
 * every run, so equal values look equal within one diff and nothing can be guessed across runs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { CREDENTIAL_NAME, helmCredentials, mayHoldSecret, objectsOf, parseDocuments, resourceCredentials } from '../secrets/detect.js';
import { isObj } from '../objects.js';

const RUN_KEY = randomBytes(32);
const SECRET_KINDS = new Set(['Secret', 'SealedSecret']);
const SECRET_FIELDS = ['data', 'stringData', 'encryptedData'];
const MANIFEST = /\.(ya?ml|json)$/i;

const digest = (v: unknown) => `<redacted ${createHmac('sha256', RUN_KEY).update(String(v)).digest('hex').slice(0, 12)}>`;

function redactValues(container: unknown): void {
  if (!isObj(container)) return;
  for (const k of Object.keys(container)) container[k] = digest(container[k]);
}

/** Redacts in place every secret value of a parsed document; returns whether it held any. */
function redactObject(doc: unknown): boolean {
  let any = false;
  for (const o of objectsOf(doc)) {
    if (SECRET_KINDS.has(String(o.kind))) {
      any = true;
      for (const f of SECRET_FIELDS) {
        redactValues(o[f]);
        if (isObj(o.spec)) {
          redactValues(o.spec[f]);
          if (isObj(o.spec.template)) for (const g of SECRET_FIELDS) redactValues(o.spec.template[g]);
        }
      }
    }
    // A credential field a kind takes as a literal (a ControlPlane's OIDC client secret): a digest.
    for (const path of resourceCredentials(o)) {
      const keys = path.split('.');
      const parent = keys.slice(0, -1).reduce<unknown>((cur, k) => (isObj(cur) ? cur[k] : undefined), o);
      const last = keys[keys.length - 1]!;
      if (isObj(parent) && typeof parent[last] === 'string') {
        parent[last] = digest(parent[last]);
        any = true;
      }
    }
    // Helm parameters named like credentials, in an Application or an ApplicationSet's template.
    const spec = o.kind === 'ApplicationSet' && isObj(o.spec) && isObj(o.spec.template) ? o.spec.template.spec : o.kind === 'Application' ? o.spec : undefined;
    if (isObj(spec)) {
      for (const src of [...(Array.isArray(spec.sources) ? spec.sources : []), spec.source]) {
        const helm = isObj(src) && isObj(src.helm) ? src.helm : {};
        // Values that hold a credential are shown as one digest: their layout is not worth a leak.
        for (const key of ['values', 'valuesObject']) {
          if (helm[key] !== undefined && helmCredentials({ kind: 'Application', spec: { source: { helm: { [key]: helm[key] } } } }).length) {
            helm[key] = digest(JSON.stringify(helm[key]));
            any = true;
          }
        }
        const params = Array.isArray(helm.parameters) ? helm.parameters : [];
        for (const p of params) {
          if (
            isObj(p) &&
            CREDENTIAL_NAME.test(
              String(p.name ?? '')
                .split('.')
                .pop()!,
            ) &&
            typeof p.value === 'string'
          ) {
            p.value = digest(p.value);
            any = true;
          }
        }
      }
    }
    if (Array.isArray(o.secretGenerator)) {
      any = true;
      for (const g of o.secretGenerator)
        if (isObj(g) && Array.isArray(g.literals))
          g.literals = g.literals.map((l) => `${String(l).split('=')[0]}=${digest(String(l).split('=').slice(1).join('='))}`);
    }
  }
  return any;
}

/**
 * The file with every secret value replaced by a digest. A document that holds a secret is shown
 * re-serialized from its data (its layout is not worth a leak); one that does not parse, in a file
 * that may hold secrets, is not shown at all.
 */
export function redactSecrets(path: string, text: string): string {
  if (!MANIFEST.test(path) || !mayHoldSecret(text)) return text;
  const docs = parseDocuments(path, text);
  if (docs.some((d) => d === undefined)) return '<redacted: a file that may hold a Secret and does not parse>\n';
  if (!docs.map(redactObject).some(Boolean)) return text;
  return /\.json$/i.test(path) ? `${JSON.stringify(docs[0], null, 2)}\n` : docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  const a = before === undefined ? '' : redactSecrets(path, before);
  const b = after === undefined ? '' : redactSecrets(path, after);
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, after === undefined ? '/dev/null' : `b/${path}`, a, b, undefined, undefined, {
    context: 3,
  })
    .split('\n')
    .slice(1) // the "===" header line
    .join('\n');
}
