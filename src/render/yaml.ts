/** The one serializer for every YAML file we write: fixed options, Kubernetes key order first. */
import { stringify } from 'yaml';

export type K8sObject = { apiVersion: string; kind: string; metadata?: Record<string, unknown>; [k: string]: unknown };

const FIRST = ['apiVersion', 'kind', 'metadata'];

function ordered(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIRST) if (k in obj) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!FIRST.includes(k)) out[k] = v;
  return out;
}

export function toYaml(doc: object, comment?: string): string {
  const body = stringify(ordered(doc as Record<string, unknown>), {
    lineWidth: 0,
    indent: 2,
    indentSeq: true,
    aliasDuplicateObjects: false,
    defaultStringType: 'PLAIN',
  });
  return comment
    ? `${comment
        .split('\n')
        .map((l) => `# ${l}`.trimEnd())
        .join('\n')}\n${body}`
    : body;
}
