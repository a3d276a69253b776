/**
 * The leak guard: a repo with a credential in clear is refused by generate and seal (and failed by
 * validate). Every YAML and JSON file is read as data through the one detector, generated folders
 * and charts/ included; only files whose content is exactly what the renderer wrote are trusted.
 * The walk never follows a symlink and skips what is not a regular file or is too large to be a
 * manifest. Reports files and keys, never values.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { leaksInText } from './detect.js';

const SKIP_DIRS = new Set(['.git', 'node_modules']);
/** Larger files are not manifests anyone writes by hand; validate reports them on its own. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The tool's own state files (generated.json, sealed-secrets.yaml) grow with the fleet: 10,000 clusters need more. */
export const MAX_OWN_FILE_BYTES = 64 * 1024 * 1024;
const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Repo-relative files holding a credential in clear, as `file (what: keys)`. `pending` is content
 * this run is about to write (checked instead of what is on disk); `trusted` are files whose
 * content is the renderer's own; `own` are the tool's state files, checked like any other but allowed
 * to be larger.
 */
export function plaintextSecrets(
  root: string,
  pending: Map<string, string> = new Map(),
  trusted: Set<string> = new Set(),
  own: Set<string> = new Set(),
): string[] {
  const found: string[] = [];
  const check = (file: string, text: string) => {
    for (const l of leaksInText(file, text)) found.push(`${file} (${l.what}: ${l.keys.join(', ')})`);
  };
  const walk = (rel: string) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      if (SKIP_DIRS.has(e.name)) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && MANIFEST.test(e.name) && !pending.has(p) && !trusted.has(p)) {
        // A file too large to parse cannot be shown clean: padding a Secret must not hide it.
        const cap = own.has(p) ? MAX_OWN_FILE_BYTES : MAX_MANIFEST_BYTES;
        if (lstatSync(join(root, p)).size > cap) found.push(`${p} (larger than ${cap} bytes: cannot be checked)`);
        else check(p, readFileSync(join(root, p), 'utf8'));
      }
    }
  };
  walk('');
  for (const [file, text] of pending) if (MANIFEST.test(file)) check(file, text);
  return [...new Set(found)].sort();
}

export function refusePlaintext(root: string, pending?: Map<string, string>, trusted?: Set<string>, own?: Set<string>): void {
  const files = plaintextSecrets(root, pending, trusted, own);
  if (files.length) {
    throw new UserError(
      `credentials in clear in ${files.length} place(s); nothing was written:\n${files.map((f) => `  ${f}`).join('\n')}`,
      'remove them from the files (and from git history), and seal them instead: calisti-gitops seal --cert <cert.pem>',
    );
  }
}
