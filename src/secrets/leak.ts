/**
 * The leak guard: a repo with a plaintext credential is refused by generate and seal (and failed by
 * validate). Every YAML and JSON file is parsed and given to the one detector, generated files and
 * vendored charts included. Reports files and keys, never values.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import { MAX_PARSE_BYTES, parseDocuments, secretValues } from './detect.js';

const SKIP = new Set(['.git', 'node_modules']);
const MANIFEST = /\.(ya?ml|json)$/i;

export interface Leak {
  file: string;
  /** `Secret ns/name: password`, or why the file could not be checked. */
  what: string[];
}

/** Reads a regular file of at most `max` bytes; undefined for anything else (FIFO, device, too big). */
export function readRegular(abs: string, max = MAX_PARSE_BYTES): string | undefined {
  const fd = openSync(abs, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > max) return undefined;
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < st.size) {
      const r = readSync(fd, buf, n, st.size - n, n);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The clear credentials in one file's text, as `owner: key` lines (none for text that is not YAML or JSON). */
export function leaksIn(text: string): string[] {
  const parsed = parseDocuments(text);
  if (!parsed.ok) return parsed.reason.startsWith('larger than') ? [`not checked: ${parsed.reason}`] : [];
  return [...new Set(parsed.objects.flatMap((o) => secretValues(o)).filter((v) => v.clear).map((v) => `${v.owner}: ${v.key}`))];
}

/**
 * Repo-relative files holding a credential in clear. `overlay` holds contents this run is
 * about to write (checked instead of the file on disk). Symlinks are not followed and only regular
 * files are read: a link to /dev/zero or a loop cannot hang the walk.
 */
export function plaintextSecrets(root: string, overlay: Map<string, string> = new Map()): Leak[] {
  const found = new Map<string, string[]>();
  // Any file name can be a kustomize resource: every file is parsed; only manifests must be parsable.
  const check = (file: string, text: string | undefined, size: number) => {
    const what = text === undefined ? (MANIFEST.test(file) ? [`not checked: ${size} bytes, larger than ${MAX_PARSE_BYTES / 1024 / 1024} MiB`] : []) : leaksIn(text);
    if (what.length) found.set(file, what);
  };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (SKIP.has(name)) continue;
      const p = join(dir, name);
      const st = lstatSync(p);
      const rel = relative(root, p).split(sep).join('/');
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && !overlay.has(rel)) check(rel, readRegular(p), st.size);
    }
  };
  walk(root);
  for (const [file, text] of overlay) check(file, text.length > MAX_PARSE_BYTES ? undefined : text, text.length);
  return [...found].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, what]) => ({ file, what }));
}

/**
 * Refuses a repo with credentials in clear. `generated` are the renderer's paths: they are checked as
 * they are on disk too, since a hand edit there would be merged into what this run writes.
 */
export function refusePlaintext(root: string, overlay?: Map<string, string>, generated: Set<string> = new Set()): void {
  const leaks = plaintextSecrets(root, overlay);
  if (leaks.length) {
    throw new UserError(
      `credentials in clear in ${leaks.length} file(s); nothing was written:\n${leaks.map((l) => `  ${l.file}${generated.has(l.file) ? ' (a generated file, edited by hand)' : ''}: ${l.what.join('; ')}`).join('\n')}`,
      'remove them from the files (and from git history), and seal them instead: calisti-gitops seal --cert <cert.pem>',
    );
  }
}
