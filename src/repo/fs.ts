/**
 * The repo's working tree as the writer sees it: reads and writes confined to the repo root (no
 * path, symlink or `..` may lead outside), each write atomic (temp file + rename).
 */
import {
  chmodSync,
  closeSync,
  fchmodSync,
  constants,
  fstatSync,
  openSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import { plainPath } from './plain-path.js';
import { statData, type StatData } from './index-file.js';

/**
 * A file's bytes, refusing what only a broken or hostile tree holds where a file is read: anything
 * but a regular file once links are followed (a device such as /dev/zero, a FIFO, a folder) and a
 * file larger than `maxBytes`. Opened without blocking, so a FIFO is refused, not waited on. Errors
 * opening it (ENOENT, EACCES, ELOOP) are thrown as they are.
 */
export function readRegularFile(abs: string, maxBytes: number, shown = abs): Buffer {
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserError(`refusing ${shown}: not a regular file`, 'replace it with a regular file, or remove it');
    if (st.size > maxBytes) throw new UserError(`refusing ${shown}: ${st.size} bytes, larger than ${maxBytes}`, 'replace it with a smaller file, or remove it');
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class RepoFs {
  readonly root: string;
  /** Folders already proven to resolve inside the repo (thousands of files share a few folders). */
  private readonly safeDirs = new Set<string>();
  /** Folders this instance made or found (one mkdir per folder, not per file). */
  private readonly madeDirs = new Set<string>();
  /**
   * The files this instance created, by path in the tree (as write() was given it), as fstat saw them once written: a first
   * commit's index takes its stat data from here (see index-file.ts), without an lstat per file.
   */
  readonly created = new Map<string, StatData>();
  /** Folders found missing and not made since: nothing to read in them (a first run reads thousands). */
  private readonly absentDirs = new Set<string>();
  constructor(root: string) {
    this.root = realpathSync(root);
    this.safeDirs.add(this.root);
  }

  /** Absolute path of a repo-relative path, refusing anything that would leave the repo. */
  resolve(path: string): string {
    return this.locate(path).abs;
  }

  /** The absolute path and its folder; `resolve` is this. */
  private locate(path: string): { abs: string; dir: string } {
    let abs: string;
    let dir: string;
    if (sep === '/' && this.root !== '/' && path !== '.' && plainPath(path) && !path.includes('\0')) {
      // Already normal (the paths a render writes): no normalize, join or dirname.
      abs = `${this.root}/${path}`;
      dir = abs.slice(0, abs.lastIndexOf('/'));
    } else {
      const norm = normalize(path);
      if (isAbsolute(norm) || norm === '..' || norm.startsWith(`..${sep}`) || path.includes('\0')) {
        throw new UserError(`refusing path outside the repository: ${JSON.stringify(path)}`);
      }
      abs = join(this.root, norm);
      dir = dirname(abs);
    }
    // Every existing ancestor must resolve inside the repo: a symlinked folder must not redirect
    // reads or writes. The nearest existing one is checked once; it and the missing folders below
    // it (which only this writer creates, under the repo lock) are then remembered.
    const missing: string[] = [];
    const folder = dir;
    // Below a folder found missing, nothing exists either: no stat (a first run has thousands).
    while (!this.safeDirs.has(dir) && (this.absentDirs.has(dirname(dir)) || statOf(dir) === undefined)) {
      missing.push(dir);
      dir = dirname(dir);
    }
    if (!this.safeDirs.has(dir)) {
      const rel = relative(this.root, realpathSync.native(dir));
      if (rel.startsWith('..') || isAbsolute(rel)) {
        throw new UserError(`refusing to write ${path}: ${relative(this.root, dir) || '.'} leads outside the repository (symlink)`);
      }
      this.safeDirs.add(dir);
    }
    for (const m of missing) {
      this.safeDirs.add(m);
      this.absentDirs.add(m);
    }
    return { abs, dir: folder };
  }

  read(path: string): string | undefined {
    const { abs, dir } = this.locate(path);
    if (this.absentDirs.has(dir)) return undefined;
    // Opened without following a link or blocking on a FIFO: one open answers what a stat would.
    let fd: number;
    try {
      fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      if (code !== 'ELOOP') throw e;
      // A symlink where we keep a generated file may only point inside the repo.
      const rel = relative(this.root, realpathSync(abs));
      if (rel.startsWith('..') || isAbsolute(rel))
        throw new UserError(`refusing ${path}: a symlink that leads outside the repository`, `replace it with a regular file, or remove it`);
      return readFileSync(abs, 'utf8');
    }
    try {
      if (!fstatSync(fd).isFile()) throw new UserError(`refusing ${path}: not a regular file`);
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  }

  isExecutable(path: string): boolean {
    try {
      return (statSync(this.resolve(path)).mode & 0o111) !== 0;
    } catch {
      return false;
    }
  }

  /**
   * Atomic write: readers see the old or the new file, never half of one. `absent`: the caller found
   * no file there (a first run writes thousands), so it is created in place, exclusively, saving the
   * temp file and the rename (a reader may see it while it is written, as there was no old one); a file that appeared since is replaced atomically as ever, and one
   * this write leaves half-written (a full disk) is removed, as a killed run's journal removes it.
   */
  write(path: string, content: string, executable = false, absent = false): void {
    const { abs, dir } = this.locate(path);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      // resolve() proved the nearest existing ancestor: what mkdir made below it is inside too.
      this.madeDirs.add(dir);
      this.safeDirs.add(dir);
      for (let made = dir; this.absentDirs.delete(made); made = dirname(made));
    }
    const mode = executable ? 0o755 : 0o644;
    if (absent && this.create(path, abs, content, mode)) return;
    const tmp = `${abs}.calisti-tmp-${process.pid}`;
    try {
      writeFileSync(tmp, content, { mode });
      chmodSync(tmp, mode);
      renameSync(tmp, abs);
    } catch (e) {
      // A full disk leaves a partial temp file: never leave it behind.
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  /** A new file at abs, or false when something is there already. */
  private create(path: string, abs: string, content: string, mode: number): boolean {
    let fd: number;
    try {
      fd = openSync(abs, 'wx', mode);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    try {
      writeFileSync(fd, content);
      // The stat the first index takes (RepoFs.created), and whether the umask took bits off.
      let stat = fstatSync(fd, { bigint: true });
      if (Number(stat.mode & 0o777n) !== mode) {
        fchmodSync(fd, mode);
        stat = fstatSync(fd, { bigint: true });
      }
      this.created.set(path, statData(stat));
    } catch (e) {
      closeSync(fd);
      rmSync(abs, { force: true });
      throw e;
    }
    closeSync(fd);
    return true;
  }

  /** Removes a file (or a symlink itself, never what it points to); a folder is refused. */
  remove(path: string): void {
    const abs = this.resolve(path);
    const st = lstatOf(abs);
    if (!st) return;
    if (st.isDirectory()) throw new UserError(`refusing to delete ${path}: it is a folder, where calisti-gitops keeps a file`);
    rmSync(abs, { force: true });
    // Drop folders the removal emptied, up to the repo root.
    let dir = dirname(abs);
    while (dir !== this.root && dir.startsWith(this.root) && existsSync(dir) && readdirSync(dir).length === 0) {
      rmdirSync(dir);
      this.madeDirs.delete(dir);
      this.safeDirs.delete(dir);
      dir = dirname(dir);
    }
  }
}

/** A path's stat (links followed), or undefined when nothing is there, without the cost of a thrown error. */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR (a file where a folder would be), ELOOP
  }
}

/** A path's own stat (a link is not followed), or undefined when nothing is there. */
export function lstatOf(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export interface SavedFile {
  path: string;
  content: string | undefined;
  executable: boolean;
}

/** What a set of writes and deletes replaced, so a failed run can put it all back. */
export class Journal {
  constructor(
    private readonly fs: RepoFs,
    private readonly saved: SavedFile[],
  ) {}

  /** Puts back the files saved before the run, newest change first; returns the paths it could not. */
  rollback(): string[] {
    const failed: string[] = [];
    for (const s of [...this.saved].reverse()) {
      try {
        if (s.content === undefined) this.fs.remove(s.path);
        else this.fs.write(s.path, s.content, s.executable);
      } catch {
        failed.push(s.path); // Keep restoring the rest.
      }
    }
    return failed;
  }
}
