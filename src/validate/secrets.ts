/** Secrets in git: plaintext values are errors; placeholders wait for `calisti-gitops seal`. */
import { helmCredentials, isPlaceholder, isSecret, PLACEHOLDER_ANNOTATION, plaintextKeys, resourceCredentials } from '../secrets/detect.js';
import { finding, resourceRef, type Finding } from './findings.js';
import { annotationsOf, type KubeObject } from './objects.js';

interface Where {
  cluster?: string;
  application?: string;
  file?: string;
  line?: number;
}

export function secretFindings(obj: KubeObject, where: Where): Finding[] {
  const fields = resourceCredentials(obj);
  if (fields.length)
    return [
      finding('secret/plaintext', `${fields.join(', ')} holds a credential in clear; seal it (calisti-gitops seal --target oidc) instead`, {
        ...where,
        resource: resourceRef(obj),
      }),
    ];
  if (!isSecret(obj)) return [];
  const ref = resourceRef(obj);
  // The one detector decides: a placeholder that carries a real value is a plaintext Secret.
  const keys = plaintextKeys(obj);
  if (keys.length)
    return [
      finding('secret/plaintext', `a Secret with values in git (${keys.join(', ')}); seal it (calisti-gitops seal) or reference it from outside git`, {
        ...where,
        resource: ref,
      }),
    ];
  if (isPlaceholder(obj)) {
    return [
      finding('secret/unsealed-placeholder', `placeholder: ${annotationsOf(obj)[PLACEHOLDER_ANNOTATION]} (run calisti-gitops seal)`, {
        ...where,
        resource: ref,
      }),
    ];
  }
  return [];
}

/** Helm parameters and values of an Application that look like credentials with a literal value. */
export function helmCredentialFindings(app: KubeObject, where: Where): Finding[] {
  return helmCredentials(app).map((what) => finding('secret/plaintext', `${what} has a literal value; credentials do not belong in git`, where));
}
