/**
 * The tree generate would leave, written to a scratch folder only as far as it is read: a file is
 * copied (or written from the plan) when a build or the Argo CD walk needs it, never the whole repo.
 * What a walk needs is found by the walkers themselves (kustomizationInputs names every file a
 * kustomization reads, `#missing` for those absent), run again until nothing new is asked for.
 */
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync, type Dirent, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative } from 'node:path';
import { MISSING, TreeReader } from '../validate/inputs.js';
import { scratchFolder, type ScratchFolder } from '../exit-cleanup.js';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** lstat, or undefined for a path that is not there (a missing entry, or a file where a folder would be). */
function lstat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export interface PlannedWrite {
  path: string;
  content: string;
  executable?: boolean;
}

export class ProposedTree {
  /** Where Argo CD's source paths start (the scratch folder). */
  readonly sourceRoot: string;
  /** Where the repo's tree sits in it: the monorepo folder (git.path), else the scratch folder. */
  readonly tree: string;
  private readonly writes = new Map<string, PlannedWrite>();
  private readonly deletes: Set<string>;
  private readonly done = new Set<string>();
  private readonly realRoot: string;
  private everything = false;

  /** `root`: the working tree; `folder`: the tree's folder in its repository (git.path). */
  constructor(
    private readonly root: string,
    writes: PlannedWrite[],
    deletes: string[],
    private readonly folder?: string,
  ) {
    for (const w of writes) this.writes.set(w.path, w);
    this.deletes = new Set(deletes);
    this.realRoot = realpathSync(root);
    this.scratch = scratchFolder('calisti-diff-');
    this.sourceRoot = this.scratch.path;
    this.tree = folder ? join(this.sourceRoot, ...folder.split('/')) : this.sourceRoot;
    try {
      mkdirSync(this.tree, { recursive: true });
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  private readonly scratch: ScratchFolder;

  dispose(): void {
    this.scratch.remove();
  }

  /** A source-root-relative path (as Argo CD and kustomize name it) as a tree path, or undefined outside the tree. */
  treePath(source: string): string | undefined {
    const p = posix.normalize(source).replace(/\/$/, '');
    if (p.startsWith('/') || p === '..' || p.startsWith('../')) return undefined;
    if (!this.folder) return p === '' || p === '.' ? '.' : p;
    if (p === this.folder) return '.';
    return p.startsWith(`${this.folder}/`) ? p.slice(this.folder.length + 1) : undefined;
  }

  /** Tree paths directly in `dir` after the change (files only). */
  private listing(dir: string): string[] {
    const prefix = dir === '.' ? '' : `${dir}/`;
    const names = new Set<string>();
    try {
      for (const e of readdirSync(join(this.root, dir), { withFileTypes: true })) if (!e.isDirectory()) names.add(`${prefix}${e.name}`);
    } catch {
      // not a folder of the working tree
    }
    for (const p of this.writes.keys()) if (p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) names.add(p);
    return [...names].filter((p) => !this.deletes.has(p)).sort();
  }

  /** Every tree path under `dir` after the change. */
  private subtree(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
      let entries: Dirent[] = [];
      try {
        entries = readdirSync(join(this.root, d), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = d === '.' ? e.name : `${d}/${e.name}`;
        if (d === '.' && e.name === '.git') continue;
        if (e.isDirectory()) walk(p);
        else out.push(p);
      }
    };
    walk(dir);
    const prefix = dir === '.' ? '' : `${dir}/`;
    for (const p of this.writes.keys()) if (p.startsWith(prefix)) out.push(p);
    return [...new Set(out)].filter((p) => !this.deletes.has(p));
  }

  /** Writes one tree path as it is after the change; true when it was not there yet. */
  private put(path: string): boolean {
    if (this.done.has(path) || path === '.') return false;
    this.done.add(path);
    const dest = join(this.tree, path);
    const w = this.writes.get(path);
    if (w) {
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, w.content, { mode: w.executable ? 0o755 : 0o644 });
      return true;
    }
    if (this.deletes.has(path)) return false;
    const src = join(this.root, path);
    const st = lstat(src);
    if (!st || st.isDirectory()) return false;
    // Only what lies in the repo is copied: a folder symlinked out of it is as absent as in a clone.
    const real = realpathSync(dirname(src));
    const rel = relative(this.realRoot, real);
    if (rel.startsWith('..') || isAbsolute(rel)) return false;
    mkdirSync(dirname(dest), { recursive: true });
    // A symlink stays one, with its target as written, so the builder's hazard check judges it.
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dest);
    else if (st.isFile()) copyFileSync(src, dest);
    else return false;
    // A folder made for this file gets its kustomization too: the input walker takes a folder
    // without one for an input it cannot know.
    for (const k of KUSTOMIZATION_NAMES) this.put(path.includes('/') ? `${dirname(path)}/${k}` : k);
    return true;
  }

  /** Files (tree paths), and folders' kustomizations, after the change; true when anything was added. */
  add(paths: Iterable<string>): boolean {
    let added = false;
    for (const p of paths) {
      if (this.put(p)) added = true;
      // A folder: its kustomization, if it has one.
      for (const k of KUSTOMIZATION_NAMES) if (this.put(p === '.' ? k : `${p}/${k}`)) added = true;
    }
    return added;
  }

  /** A tree path is a file (or symlink) after the change. */
  exists(path: string): boolean {
    if (this.writes.has(path)) return true;
    if (this.deletes.has(path)) return false;
    const st = lstat(join(this.root, path));
    return st !== undefined && !st.isDirectory();
  }

  private addFolder(dir: string, recursive: boolean): boolean {
    const files = recursive ? this.subtree(dir) : this.listing(dir);
    // An existing folder stays one even when empty: Argo CD then reads no manifests from it.
    if (files.length > 0 || lstat(join(this.root, dir))?.isDirectory()) mkdirSync(join(this.tree, dir), { recursive: true });
    return this.add(files);
  }

  /** Everything, as a copy of the whole tree would hold: for inputs no walker can name (remote, helm). */
  private addEverything(): boolean {
    if (this.everything) return false;
    this.everything = true;
    return this.add(this.subtree('.'));
  }

  /** A folder (source-root-relative) whole, and what its kustomization reads: bootstrap/ and apps/, which validate scans whole. */
  addWholeFolder(source: string): boolean {
    const dir = this.treePath(source);
    if (dir === undefined) return false;
    const added = this.addFolder(dir, true);
    return this.addSource(source) || added;
  }

  /**
   * What a source (source-root-relative, as an Application names it) is read from, as deploy reads it:
   * a chart folder whole, a kustomization's inputs, else the manifests of the folder (`recurse`: and
   * below). True when anything was added.
   */
  addSource(source: string, recurse = false): boolean {
    const dir = this.treePath(source);
    if (dir === undefined) return false;
    const at = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
    if (this.exists(at('Chart.yaml'))) return this.addFolder(dir, true);
    if (KUSTOMIZATION_NAMES.some((k) => this.exists(at(k)))) return this.addKustomization(source, dir);
    return this.addFolder(dir, recurse);
  }

  /** A kustomization's inputs, added until none is missing that the change has; unknown inputs: everything. */
  private addKustomization(source: string, dir: string): boolean {
    let added = this.add([dir]);
    for (;;) {
      const inputs = new TreeReader(this.sourceRoot).inputs(source);
      if (inputs === undefined) return this.addEverything() || added;
      const wanted = inputs.map((f) => this.treePath(f.endsWith(MISSING) ? f.slice(0, -MISSING.length) : f)).filter((f): f is string => f !== undefined);
      if (!this.add(wanted)) return added;
      added = true;
    }
  }
}
