/**
 * sealed-secrets.yaml: the sealed values of a repo, written by `seal` and read by `generate`, so a
 * regeneration keeps every sealed value byte for byte. Safe to commit: only the sealed-secrets
 * controller holding the private key can decrypt an entry.
 */
import { stringify } from 'yaml';
import { z } from 'zod';
import { parseModelDocument } from '../model/load.js';

export const SEALED_KIND = 'SealedValues';

export const SealedEntry = z.strictObject({
  /** The cluster whose controller can decrypt it; `management` for Argo CD's own namespace. */
  cluster: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
  scope: z.enum(['strict', 'namespace-wide', 'cluster-wide']),
  type: z.string().min(1),
  encryptedData: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')),
});
export type SealedEntry = z.infer<typeof SealedEntry>;

export const SealedValues = z.strictObject({
  apiVersion: z.literal('calisti-gitops.io/v1alpha1'),
  kind: z.literal(SEALED_KIND),
  secrets: z.array(SealedEntry).default([]),
});
export type SealedValues = z.infer<typeof SealedValues>;

export const MANAGEMENT_CLUSTER = 'management';

export const entryKey = (e: Pick<SealedEntry, 'cluster' | 'namespace' | 'name'>) => `${e.cluster}/${e.namespace}/${e.name}`;

export class SealedStore {
  private readonly entries = new Map<string, SealedEntry>();
  constructor(values?: SealedValues) {
    for (const e of values?.secrets ?? []) this.entries.set(entryKey(e), e);
  }
  static parse(text: string | undefined, file: string): SealedStore {
    if (text === undefined) return new SealedStore();
    return new SealedStore(parseModelDocument(text, file, SealedValues));
  }
  get(cluster: string, namespace: string, name: string): SealedEntry | undefined {
    return this.entries.get(`${cluster}/${namespace}/${name}`);
  }
  put(e: SealedEntry): void {
    this.entries.set(entryKey(e), e);
  }
  remove(cluster: string, namespace: string, name: string): boolean {
    return this.entries.delete(`${cluster}/${namespace}/${name}`);
  }
  /** The entries only one cluster's controller can decrypt. */
  entriesOf(cluster: string): SealedEntry[] {
    return [...this.entries.values()].filter((e) => e.cluster === cluster);
  }
  get size(): number {
    return this.entries.size;
  }
  serialize(): string {
    const secrets = [...this.entries.values()].sort((a, b) => (entryKey(a) < entryKey(b) ? -1 : 1));
    return `# Sealed with calisti-gitops seal: only the sealed-secrets controller of each cluster can decrypt.\n${stringify({ apiVersion: 'calisti-gitops.io/v1alpha1', kind: SEALED_KIND, secrets }, { lineWidth: 0 })}`;
  }
}
