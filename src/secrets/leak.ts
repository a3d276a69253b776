/**
 * The leak guard: a repo with a plaintext credential is refused by generate and seal (and failed by
 * validate). Reports files and keys, never values.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../errors.js';
import { secretFindings } from '../validate/secrets.js';

const SKIP = new Set(['.git', 'node_modules', 'charts']);

/** Repo-relative YAML files holding a Secret with values (placeholders excluded). */
export function plaintextSecrets(root: string, overlay: Map<string, string> = new Map(), skip: Set<string> = new Set()): string[] {
  const found: string[] = [];
  const check = (file: string, text: string) => {
    if (!/\bkind:\s*["']?Secret\b/.test(text)) return;
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) continue;
      const obj = doc.toJS({ maxAliasCount: 100 });
      if (obj && typeof obj === 'object' && secretFindings(obj, {}).some((f) => f.rule === 'secret/plaintext')) found.push(file);
    }
  };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const p = join(dir, name);
      const st = statSync(p);
      const rel = relative(root, p);
      if (st.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name) && !overlay.has(rel) && !skip.has(rel) && st.size < 10 * 1024 * 1024) check(rel, readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  for (const [file, text] of overlay) if (/\.ya?ml$/.test(file)) check(file, text);
  return [...new Set(found)].sort();
}

export function refusePlaintext(root: string, overlay?: Map<string, string>, skip?: Set<string>): void {
  const files = plaintextSecrets(root, overlay, skip);
  if (files.length) {
    throw new UserError(
      `credentials in clear in ${files.length} file(s); nothing was written:\n${files.map((f) => `  ${f}`).join('\n')}`,
      'remove them from the files (and from git history), and seal them instead: calisti-gitops seal --cert <cert.pem>',
    );
  }
}
