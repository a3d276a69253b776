/**
 * What a run's inputs are, cheaply: the toolkit by its files' sizes and mtimes, a repository as git
 * sees it. Runs that would compute the same result from the same inputs (a warm validate, a no-op
 * generate) compare these instead of doing the work.
 */
import { execFileSync } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolkitRoot } from '../toolkit.js';

/** A file's size and mtime, or those of every file under a folder, into the hash; a missing path adds its absence. */
export function statPath(h: Hash, path: string): void {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s?.isFile()) h.update(`${path} ${s.size} ${s.mtimeMs}\n`);
  else statTree(h, path);
}

/** Size and mtime of every file under `dir` (sorted), into the hash; a missing folder adds its absence. */
function statTree(h: Hash, dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  } catch {
    h.update(`absent ${dir}\n`);
    return;
  }
  for (const e of entries) {
    const s = statSync(join(dir, e), { throwIfNoEntry: false });
    if (s?.isFile()) h.update(`${e} ${s.size} ${s.mtimeMs}\n`);
  }
}

/**
 * The code this process runs: the bundle or tsc's output, with what both read from src at run time
 * (the Go template engine, the prose templates), or the sources themselves (the tests). The others
 * cannot change what it computes.
 */
export function runningCode(moduleFile: string): string[] {
  const at = relative(toolkitRoot, moduleFile).split(sep);
  const readFromSources = ['src/argocd/gotemplate', 'src/render/templates'];
  if (at[0] === 'dist' && at[1] === 'cli') return ['dist/cli', ...readFromSources];
  if (at[0] === 'dist') return ['dist/src', ...readFromSources];
  return ['src'];
}

/** The toolkit's code and data, once per process (it does not change under a running CLI). */
let toolkitPrint: string | undefined;
export function toolkitFingerprint(): string {
  if (toolkitPrint) return toolkitPrint;
  const h = createHash('sha256');
  const code = runningCode(fileURLToPath(import.meta.url));
  // The lock file changes with the dependencies tsc's output imports (the bundle carries its own).
  for (const d of [...code, 'blueprints', 'overlays', 'schemas', 'package.json', 'package-lock.json']) statPath(h, join(toolkitRoot, d));
  toolkitPrint = h.digest('hex');
  return toolkitPrint;
}

const git = (root: string, args: string[]) =>
  execFileSync('git', ['-C', root, ...args], { encoding: 'buffer', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });

/**
 * HEAD, every ref, and the content of each file `git status` lists as changed or untracked (git's
 * index answers for the rest from size and mtime, and hashes when they disagree). Files git ignores
 * are not part of it. Undefined when git cannot say (not a repository, git missing).
 */
export function repoFingerprint(root: string): string | undefined {
  const h = createHash('sha256');
  let status: Buffer;
  try {
    h.update(git(root, ['for-each-ref', '--format=%(objectname) %(refname)']));
    // HEAD's commit and branch, then one NUL-terminated entry per changed or untracked path.
    status = git(root, ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all', '--no-renames']);
  } catch {
    return undefined;
  }
  h.update(status);
  for (const entry of status.toString('utf8').split('\0')) {
    if (!entry || entry.startsWith('#')) continue;
    // The path is the last field: after 8 fields for changes, 10 for conflicts, 1 for untracked.
    const fields = entry.split(' ');
    const skip = entry[0] === '1' ? 8 : entry[0] === 'u' ? 10 : 1;
    const path = fields.slice(skip).join(' ');
    h.update(`${path}\0`);
    addFile(h, join(root, path));
  }
  return h.digest('hex');
}

/** Files larger than this are known by size and mtime: hashing them would cost more than it saves. */
const MAX_HASHED_BYTES = 16 * 1024 * 1024;

/**
 * A changed path by what it is: a symlink by its target (never followed: it may point at /dev/zero or
 * a FIFO, as a hostile pull request's might), a regular file by its content, anything else by its type.
 * Opened without following links and without blocking, so a swap after the check changes nothing.
 */
function addFile(h: Hash, abs: string): void {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') h.update(`link ${readLink(abs)}`);
    else h.update(code ?? 'unreadable');
    return;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) h.update(`special ${st.mode}`);
    else if (st.size > MAX_HASHED_BYTES) h.update(`large ${st.size} ${st.mtimeMs} ${st.ino}`);
    else h.update(readFileSync(fd));
  } finally {
    closeSync(fd);
  }
}

function readLink(abs: string): string {
  try {
    return readlinkSync(abs);
  } catch {
    return '?';
  }
}

/**
 * Writes a remembered result: a temp file renamed into place, so a concurrent reader sees all or
 * nothing. Best effort: a result that cannot be written only makes the next run slower.
 */
export function rememberFile(file: string, text: string): boolean {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // its folder is not one (ENOTDIR): nothing was written
    }
    return false;
  }
}
