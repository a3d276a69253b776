/**
 * The clusters Argo CD registers, read from cluster Secrets as they would reach its namespace: plain
 * Secrets (data base64, stringData), and SealedSecrets, whose template carries the labels and whose
 * `template.data` may carry `name`/`server` in clear (encrypted values cannot be read offline).
 */
import { z } from 'zod';
import type { Cluster } from './types.js';

export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

const StringMap = z.record(z.string(), z.unknown()).nullish();
const Meta = z.object({ name: z.string().nullish(), labels: StringMap, annotations: StringMap }).nullish();
const SecretDoc = z.object({
  kind: z.string(),
  metadata: Meta,
  data: StringMap,
  stringData: StringMap,
  spec: z.object({ template: z.object({ metadata: Meta, data: StringMap }).nullish() }).nullish(),
});

const strings = (m: Record<string, unknown> | null | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).filter(([, v]) => typeof v === 'string') as [string, string][]);

/** The cluster a Secret registers, or undefined when it is not a cluster Secret or its name/server are sealed. */
export function clusterFromSecret(doc: unknown): Cluster | undefined {
  const parsed = SecretDoc.safeParse(doc);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const sealed = d.kind === 'SealedSecret';
  if (!sealed && d.kind !== 'Secret') return undefined;
  const meta = sealed ? d.spec?.template?.metadata : d.metadata;
  const labels = strings(meta?.labels ?? (sealed ? d.metadata?.labels : undefined));
  if (labels[SECRET_TYPE_LABEL] !== 'cluster') return undefined;
  const plain: Record<string, string> = sealed
    ? strings(d.spec?.template?.data)
    : { ...Object.fromEntries(Object.entries(strings(d.data)).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])), ...strings(d.stringData) };
  if (plain.server === undefined) return undefined;
  return {
    name: plain.name ?? '',
    server: plain.server,
    ...(plain.project !== undefined ? { project: plain.project } : {}),
    labels,
    annotations: strings(meta?.annotations ?? (sealed ? d.metadata?.annotations : undefined)),
  };
}
