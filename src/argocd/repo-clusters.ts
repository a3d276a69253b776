/**
 * The clusters Argo CD would know for a repository: every cluster Secret in its YAML files (plain or
 * sealed with readable name/server), and, for a calisti-gitops repo, the fleet's clusters as the cluster
 * Secrets `clusters add` writes (their name and server are sealed, so the model supplies them).
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { MAX_MANIFEST_BYTES } from '../secrets/leak.js';
import { clusterFromSecret } from './cluster-secrets.js';
import { loadDocuments } from '../fast-yaml.js';
import type { Cluster } from './types.js';

/** YAML files under a folder, sorted, symlinks and hidden folders skipped. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      const st = lstatSync(p);
      if (st.isDirectory()) return n.startsWith('.') || n === 'node_modules' ? [] : yamlFiles(p);
      return st.isFile() && st.size <= MAX_MANIFEST_BYTES && ['.yaml', '.yml'].includes(extname(n)) ? [p] : [];
    });
}

/** Cluster Secrets found in the YAML documents of `files`; unparsable documents are skipped. */
export function clustersInFiles(files: string[]): Cluster[] {
  const out: Cluster[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (!text.includes('argocd.argoproj.io/secret-type')) continue;
    let docs: unknown[];
    try {
      docs = loadDocuments(text);
    } catch {
      continue; // A file that does not parse registers nothing (validate reports it as yaml/invalid).
    }
    for (const doc of docs) {
      const c = clusterFromSecret(doc);
      if (c) out.push(c);
    }
  }
  return out;
}

/** Adds `extra` clusters whose name no Secret already registers. */
export function withClusters(found: Cluster[], extra: Cluster[]): Cluster[] {
  return [...found, ...extra.filter((e) => !found.some((c) => c.name === e.name))];
}
