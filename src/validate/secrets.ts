/** Secrets in git: plaintext values are errors; placeholders wait for `calisti-gitops seal`. */
import { PLACEHOLDER_ANNOTATION } from '../render/layout.js';
import { secretValues } from '../secrets/detect.js';
import { plaintextSecrets } from '../secrets/leak.js';
import { finding, resourceRef, type Finding } from './findings.js';

interface Where {
  cluster?: string;
  application?: string;
  file?: string;
  line?: number;
}

/** Findings for one parsed object (a Secret, a List of them, a kustomization, an Application). */
export function secretFindings(obj: Record<string, any>, where: Where): Finding[] {
  const values = secretValues(obj);
  const clear = values.filter((v) => v.clear);
  const out: Finding[] = [];
  const owners = [...new Set(clear.map((v) => v.owner))];
  for (const owner of owners) {
    const keys = [...new Set(clear.filter((v) => v.owner === owner).map((v) => v.key))];
    out.push(finding('secret/plaintext', `${owner} has values in git (${keys.join(', ')}); seal it (calisti-gitops seal) or reference it from outside git`, { ...where, resource: obj.kind === 'Secret' ? resourceRef(obj) : undefined }));
  }
  const placeholder = obj.metadata?.annotations?.[PLACEHOLDER_ANNOTATION];
  if (obj.kind === 'Secret' && placeholder !== undefined && clear.length === 0) {
    out.push(finding('secret/unsealed-placeholder', `placeholder: ${placeholder} (run calisti-gitops seal)`, { ...where, resource: resourceRef(obj) }));
  }
  return out;
}

/** Every YAML/JSON file of the repo through the leak guard: what no build shows (charts/, generator inputs, unused files). */
export function repoSecretFindings(root: string): Finding[] {
  return plaintextSecrets(root).map((l) => finding('secret/plaintext', `credentials in clear: ${l.what.join('; ')}; seal them (calisti-gitops seal) or keep them out of git`, { file: l.file }));
}
