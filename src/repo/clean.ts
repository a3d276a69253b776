/**
 * What git already knows about the working tree: the blob id of every tracked file whose content
 * is the index's (git compares sizes and mtimes, and content where those cannot tell), and which of
 * them HEAD holds as they are. A run then reads only the files that changed, not the whole repo.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { gitExec } from './git.js';
import { idsByReading, type CurrentId, type ReadCurrent } from './plan.js';
import { type KnownFiles, NOTHING_KNOWN } from '../validate/inputs.js';

export interface CleanFile {
  /** The blob id of the content on disk. */
  id: string;
  executable: boolean;
  /** HEAD holds this file as it is. */
  committed: boolean;
}

export interface GitView {
  /** Regular files, by path in the tree, whose content on disk is the index's. */
  clean: Map<string, CleanFile>;
  /** Every path the index has, clean or not. */
  indexed: Set<string>;
  /** Paths the index holds differently from HEAD (staged changes, additions, removals). */
  staged: Set<string>;
}

const split = (out: string) => out.split('\0').filter(Boolean);

/** Four git processes, run side by side; paths are the tree's own (dir may be a folder of its repository). */
export async function gitView(dir: string): Promise<GitView> {
  // All four start now, before the caller goes on with synchronous work (parsing, rendering): a
  // process started after an await would wait for that work to end. Without a HEAD (a repository
  // with no commit yet) diff-index fails, and nothing is staged against it.
  // `--`: a tracked file named HEAD would make the name ambiguous.
  const stagedVsHead = gitExec(dir, ['diff-index', '--cached', '--name-only', '--relative', '-z', 'HEAD', '--']);
  stagedVsHead.catch(() => undefined);
  const [head, listed, dirty] = await Promise.all([
    gitExec(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']).then(
      (out) => out.trim() || undefined,
      () => undefined,
    ),
    gitExec(dir, ['ls-files', '--stage', '-v', '-z']),
    gitExec(dir, ['diff-files', '--name-only', '--relative', '-z']),
  ]);
  const staged = head ? await stagedVsHead : '';
  const changed = new Set(split(dirty));
  const view: GitView = { clean: new Map(), indexed: new Set(), staged: new Set(split(staged)) };
  for (const entry of split(listed)) {
    // `H <mode> <id> <stage>\t<path>`; lower case: assume-unchanged, S: skip-worktree (git does
    // not look at those files, so neither may we), a stage above 0: a merge conflict.
    const tab = entry.indexOf('\t');
    const [tag, mode, id, stage] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    view.indexed.add(path);
    if (tag !== 'H' || stage !== '0' || (mode !== '100644' && mode !== '100755') || changed.has(path)) continue;
    view.clean.set(path, { id: id!, executable: mode === '100755', committed: head !== undefined && !view.staged.has(path) });
  }
  return view;
}

/** Blob ids of the tree's files: git's where the file is clean, else by reading it. */
export function currentIds(view: GitView, read: ReadCurrent): CurrentId {
  const byReading = idsByReading(read);
  return (path) => view.clean.get(path)?.id ?? byReading(path);
}

/**
 * Whether HEAD already holds this path as the disk does: clean and committed, or absent from the
 * disk, the index and HEAD alike. A run whose paths are all settled has nothing to commit.
 */
export function settled(view: GitView, path: string, idOf: CurrentId): boolean {
  const clean = view.clean.get(path);
  if (clean) return clean.committed;
  return !view.indexed.has(path) && !view.staged.has(path) && idOf(path) === undefined;
}

/**
 * The clean files as a reader of `readerRoot` sees them (validate/inputs.ts): the view is of
 * `viewRoot`, the tree itself, which may be a folder below the reader's root (git.path). A folder
 * holding a clean file exists. A view of anything else vouches for nothing.
 */
export function knownFiles(view: GitView, viewRoot: string, readerRoot = viewRoot): KnownFiles {
  const prefix = relative(readerRoot, viewRoot).split(sep).join('/');
  if (prefix.startsWith('..') || isAbsolute(prefix)) return NOTHING_KNOWN;
  const head = prefix === '' ? '' : `${prefix}/`;
  const inTree = (path: string) => (head === '' ? path : path.startsWith(head) ? path.slice(head.length) : undefined);
  let folders: Set<string> | undefined;
  return {
    id: (path) => {
      const own = inTree(path);
      return own === undefined ? undefined : view.clean.get(own)?.id;
    },
    hasFolder: (path) => {
      if (!folders) {
        folders = new Set();
        for (const p of view.clean.keys())
          for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
            const f = head + p.slice(0, i);
            if (folders.has(f)) break;
            folders.add(f);
          }
        if (view.clean.size > 0) folders.add(head === '' ? '.' : head.slice(0, -1));
      }
      return folders.has(path);
    },
  };
}
