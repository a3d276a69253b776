/** Secrets in git: plaintext values are errors; placeholders wait for `calisti-gitops seal`. */
import { parse } from 'yaml';
import { isPlaceholder, isSecret, PLACEHOLDER_ANNOTATION, plaintextKeys } from '../secrets/detect.js';
import { finding, resourceRef, type Finding } from './findings.js';

/** Names of values that are credentials (not names of Secrets that hold them). */
const CREDENTIAL_NAME = /(^|[-_.]|[a-z])(password|passwd|token|api[-_]?key|secret[-_]?key|access[-_]?key|client[-_]?secret|private[-_]?key)$|^secret$/i;
const TEMPLATE_OR_EMPTY = /^\s*$|^\{\{.*\}\}$|^\$\{.*\}$|^<.*>$/;

interface Where {
  cluster?: string;
  application?: string;
  file?: string;
  line?: number;
}

export function secretFindings(obj: Record<string, any>, where: Where): Finding[] {
  if (!isSecret(obj)) return [];
  const ref = resourceRef(obj);
  // The one detector decides: a placeholder that carries a real value is a plaintext Secret.
  const keys = plaintextKeys(obj);
  if (keys.length) return [finding('secret/plaintext', `a Secret with values in git (${keys.join(', ')}); seal it (calisti-gitops seal) or reference it from outside git`, { ...where, resource: ref })];
  if (isPlaceholder(obj)) {
    return [finding('secret/unsealed-placeholder', `placeholder: ${obj.metadata.annotations[PLACEHOLDER_ANNOTATION]} (run calisti-gitops seal)`, { ...where, resource: ref })];
  }
  return [];
}

/** Helm parameters and values of an Application that look like credentials with a literal value. */
export function helmCredentialFindings(app: Record<string, any>, where: Where): Finding[] {
  const out: Finding[] = [];
  const sources = app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  for (const src of sources) {
    const helm = src.helm ?? {};
    for (const p of helm.parameters ?? []) {
      const leaf = String(p.name ?? '').split('.').pop()!;
      if (CREDENTIAL_NAME.test(leaf) && typeof p.value === 'string' && !TEMPLATE_OR_EMPTY.test(p.value)) {
        out.push(finding('secret/plaintext', `Helm parameter ${p.name} has a literal value; credentials do not belong in git`, where));
      }
    }
    const values = helm.valuesObject ?? (typeof helm.values === 'string' ? safeParse(helm.values) : helm.values);
    walk(values, '', (path, v) => {
      const leaf = path.split('.').pop()!;
      if (CREDENTIAL_NAME.test(leaf) && typeof v === 'string' && !TEMPLATE_OR_EMPTY.test(v)) {
        out.push(finding('secret/plaintext', `Helm value ${path} has a literal value; credentials do not belong in git`, where));
      }
    });
  }
  return out;
}

function safeParse(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

function walk(v: unknown, path: string, fn: (path: string, v: unknown) => void): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, fn);
  else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, fn));
  else fn(path, v);
}
