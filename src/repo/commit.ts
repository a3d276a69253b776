/**
 * Commit a set of paths exactly as they are in the working tree, with git plumbing: a temporary
 * index (HEAD's tree plus these paths, read from stdin, so any number of them), `write-tree`,
 * `commit-tree`, then `update-ref HEAD <new> <old>`: a compare-and-swap, so a run killed after
 * its hooks, or one racing another writer, can never move HEAD behind someone's back. The user's
 * own staged changes to other paths stay staged and out of the commit. The pre-commit and
 * commit-msg hooks run as `git commit` would run them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, type Stats } from 'node:fs';
import { scratchFolder } from '../exit-cleanup.js';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { lstatOf } from './fs.js';
import { gitDir, SCRATCH } from './gitdir.js';
import { writeFirstIndex, type IndexEntry, type StatData } from './index-file.js';
import { commitSetup, gitExec, headCommit, repoPrefix, ZERO_ID, type CommitSetup } from './git.js';

/**
 * An index line: the file as it is on disk, or a removal when it is gone. Index paths are the
 * repository's; `prefix` is where dir sits in it (git.path), paths are dir's.
 */
function indexLines(prefix: string, paths: string[], files: Map<string, { id: string; executable: boolean }>): string {
  return paths
    .map((p) => {
      const f = files.get(p);
      if (f === undefined) return `0 ${ZERO_ID}\t${prefix}${p}`;
      return `${f.executable ? '100755' : '100644'} ${f.id}\t${prefix}${p}`;
    })
    .join('\n');
}

/** `a/b/` for a tree in folder a/b of its repository, '' at its root. */
const indexPrefix = async (dir: string) => {
  const p = await repoPrefix(dir);
  return p ? `${p}/` : '';
};

/** Refuses to start when a git process holds (or a crashed one left) the index lock. */
export function assertIndexUnlocked(dir: string): void {
  const lock = join(gitDir(dir), 'index.lock');
  if (existsSync(lock)) {
    throw new UserError(`${lock} exists: another git process is running in this repo, or one crashed and left it`, `if no git process is running: rm ${lock}`);
  }
}

/** What the run already knows, so the commit does not ask git or the disk again. */
export interface CommitContext {
  /** Blob id of what each path holds, as far as the run knows it (it wrote or read it under the repo lock). */
  known?: Map<string, string>;
  /** Blob ids the run has stored in git itself: not looked up again. */
  stored?: ReadonlySet<string>;
  /** Paths the run knows to be regular files (it wrote them, or git vouches for them: GitView.clean), with their executable bit: not stat'ed again. */
  files?: ReadonlyMap<string, { executable: boolean }>;
  /** What the run saw of the files it created, by path in the tree (see RepoFs.created): a first index needs no lstat of them. */
  stats?: ReadonlyMap<string, StatData>;
  /** HEAD as the run found it before writing (null: no commit yet): the parent, and what update-ref expects. */
  head?: string | null;
  /** Where the tree sits in its repository ('' at the root), as the run found it. */
  prefix?: string;
  /** The run's identity and hooks (see commitSetup). */
  setup?: Promise<CommitSetup>;
}

/**
 * Commits `paths` (repo-relative, present or deleted) as they are on disk. Returns the new commit,
 * or undefined when they hold no change against HEAD. `ctx.known` gives the blob id of paths whose
 * content this run wrote or read: those git has are not read again.
 */
export async function commitFiles(dir: string, paths: string[], message: string, ctx: CommitContext = {}): Promise<string | undefined> {
  assertIndexUnlocked(dir);
  const { known = new Map<string, string>(), stored = new Set<string>(), files: regular = new Map<string, { executable: boolean }>() } = ctx;
  const dotGit = gitDir(dir);
  const setup = ctx.setup ?? commitSetup(dir);
  setup.catch(() => undefined);
  const head = ctx.head === undefined ? await headCommit(dir) : (ctx.head ?? undefined);
  const stats = new Map<string, Stats | undefined>();
  const unique = [...new Set(await expandFolders(dir, head, paths, stats, regular))].sort();
  const executable = new Map<string, boolean>();
  for (const p of unique) {
    const vouched = regular.get(p);
    if (vouched) {
      executable.set(p, vouched.executable);
      continue;
    }
    const st = stats.has(p) ? stats.get(p) : lstatOf(join(dir, p));
    if (!st) continue;
    if (!st.isFile())
      throw new UserError(
        `refusing to commit ${p}: not a regular file (a symlink or folder stands where calisti-gitops keeps a file)`,
        `replace it with a regular file, or remove it`,
      );
    executable.set(p, (st.mode & 0o111) !== 0);
  }
  const present = [...executable.keys()];
  const ids = new Map<string, string>();
  const found = await storedObjects(
    dir,
    present.flatMap((p) => {
      const id = known.get(p);
      return id === undefined || stored.has(id) ? [] : [id];
    }),
  );
  for (const p of present) {
    const id = known.get(p);
    if (id !== undefined && (stored.has(id) || found.has(id))) ids.set(p, id);
  }
  // Blobs for the rest, from disk, in one process; paths on stdin, never on the command line.
  // Absolute: git reads --stdin-paths from the repository's root, and dir may be a folder of it.
  const unread = present.filter((p) => !ids.has(p));
  const hashed = unread.length
    ? (await gitExec(dir, ['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: `${unread.map((p) => join(dir, p)).join('\n')}\n` }))
        .trim()
        .split('\n')
    : [];
  unread.forEach((p, i) => ids.set(p, hashed[i]!));
  const files = new Map(present.map((p) => [p, { id: ids.get(p)!, executable: executable.get(p)! }]));
  const prefix = ctx.prefix === undefined ? await indexPrefix(dir) : ctx.prefix && `${ctx.prefix}/`;
  const lines = `${indexLines(prefix, unique, files)}\n`;
  // The first commit of a repository without an index: the index is written from what this run
  // knows, only where that is what git would find: every file one the run created (its stat taken
  // as it was written, with the content its id names), no hook that may have changed one since
  // (pre-commit, commit-msg), and no shared repository (git gives the index its group's modes).
  const firstIndex = (s: CommitSetup) => {
    if (head || s.hooks.has('pre-commit') || s.hooks.has('commit-msg') || s.sharedRepository) return false;
    if (existsSync(join(dotGit, 'index'))) return false;
    const entries: IndexEntry[] = [];
    for (const [p, f] of files) {
      const stat = ctx.stats?.get(p);
      if (!stat) return false;
      entries.push({ path: `${prefix}${p}`, id: f.id, executable: f.executable, stat });
    }
    return writeFirstIndex(dotGit, entries);
  };

  const scratch = scratchFolder(SCRATCH.index, dotGit);
  // No HEAD: the scratch index starts empty, as a missing index file is.
  const env = { GIT_INDEX_FILE: join(scratch.path, 'index') };
  try {
    if (head) await gitExec(dir, ['read-tree', head], { env });
    await gitExec(dir, ['update-index', '--add', '--remove', '--index-info'], { env, input: lines });
    const tree = (await gitExec(dir, ['write-tree'], { env })).trim();
    if (head && tree === (await gitExec(dir, ['rev-parse', `${head}^{tree}`])).trim()) {
      await syncIndex(dir, lines);
      return undefined;
    }
    const commitConfig = await setup;
    const { identity, hooks } = commitConfig;
    if (hooks.has('pre-commit')) await runHook(dir, 'pre-commit', [], env);
    const msgFile = join(scratch.path, 'COMMIT_EDITMSG');
    writeFileSync(msgFile, `${message}\n`);
    if (hooks.has('commit-msg')) await runHook(dir, 'commit-msg', [msgFile], env);
    const finalMessage = readFileSync(msgFile, 'utf8');
    const commit = (await gitExec(dir, ['commit-tree', tree, ...(head ? ['-p', head] : []), '-F', '-'], { env: identity, input: finalMessage })).trim();
    try {
      await gitExec(dir, ['update-ref', '-m', `commit: ${finalMessage.split('\n')[0]}`, 'HEAD', commit, head ?? ZERO_ID]);
    } catch (e) {
      if (!/but expected|cannot lock ref/i.test((e as Error).message)) throw e;
      throw new UserError('HEAD moved while calisti-gitops was committing (another writer?); nothing was committed', 'run the command again');
    }
    // The commit stands from here on. The real index follows, for these paths only, so `git
    // status` is clean and the user's other staged changes stay as they were; a failure here only
    // leaves the index stale, which the next run's recovery (or `git reset`) mends.
    let indexed = false;
    try {
      indexed = firstIndex(commitConfig);
    } catch {
      // git writes it below
    }
    if (!indexed) await syncIndex(dir, lines).catch(() => undefined);
    if (hooks.has('post-commit')) await runHook(dir, 'post-commit', [], {}).catch(() => undefined);
    return commit;
  } finally {
    scratch.remove();
  }
}

/** Which of these object ids git has (one `cat-file --batch-check` process). */
async function storedObjects(dir: string, ids: string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const out = await gitExec(dir, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: `${unique.join('\n')}\n` });
  return new Set(out.split('\n').flatMap((l) => (l.endsWith(' blob') ? [l.slice(0, l.indexOf(' '))] : [])));
}

/**
 * A folder in `paths` (a vendored chart) stands for every file in it, on disk and in HEAD. Regular
 * files (and those the run wrote, not stat'ed again) stand for themselves; HEAD is listed once (one git process, not one per path) only when some
 * path is a folder or gone from disk. `stats` gets each given path's lstat (undefined: gone).
 */
async function expandFolders(
  dir: string,
  head: string | undefined,
  paths: string[],
  stats: Map<string, Stats | undefined>,
  regular: ReadonlyMap<string, unknown>,
): Promise<string[]> {
  const out: string[] = [];
  let headFiles: string[] | undefined;
  const inHead = async (p: string): Promise<string[]> => {
    if (!head) return [];
    headFiles ??= (await gitExec(dir, ['ls-tree', '-r', '-z', '--name-only', head])).split('\0').filter(Boolean);
    return headFiles.filter((f) => f.startsWith(`${p}/`));
  };
  for (const p of paths) {
    if (regular.has(p)) {
      out.push(p);
      continue;
    }
    const st = lstatOf(join(dir, p)); // undefined: a file or a folder deleted from disk
    stats.set(p, st);
    if (st && !st.isDirectory()) {
      out.push(p);
      continue;
    }
    const before = await inHead(p);
    if (!st && before.length === 0) out.push(p);
    else out.push(...before, ...(st ? walkFiles(dir, p) : []));
  }
  return out;
}

function walkFiles(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const p = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...walkFiles(root, p));
    else out.push(p); // symlinks and others are refused by commitFiles
  }
  return out;
}

async function syncIndex(dir: string, lines: string): Promise<void> {
  await gitExec(dir, ['update-index', '--add', '--remove', '--index-info'], { input: lines });
  // Refresh stat data so git does not take every file for modified.
  await gitExec(dir, ['update-index', '-q', '--refresh']).catch(() => undefined);
}

async function runHook(dir: string, hook: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await gitExec(dir, ['hook', 'run', '--ignore-missing', hook, ...(args.length ? ['--', ...args] : [])], { env });
  } catch (e) {
    const detail = (e as Error).message.replace(/^git hook failed: /, '').trim();
    throw new UserError(`the ${hook} hook refused the commit${detail ? `: ${detail}` : ''}`, 'fix what the hook reports, then run the command again');
  }
}

/** Points the index entries of these paths back at HEAD (after a run killed mid-commit). */
export async function resetIndexPaths(dir: string, paths: string[]): Promise<void> {
  if (paths.length === 0 || existsSync(join(gitDir(dir), 'index.lock'))) return;
  const wanted = new Set(paths);
  const head = await headCommit(dir);
  const inHead = new Map<string, string>();
  if (head) {
    for (const entry of (await gitExec(dir, ['ls-tree', '-r', '-z', head])).split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab > 0 && wanted.has(entry.slice(tab + 1))) inHead.set(entry.slice(tab + 1), entry.slice(0, tab).replace(' blob ', ' '));
    }
  }
  const prefix = await indexPrefix(dir);
  const lines = [...wanted].map((p) => (inHead.has(p) ? `${inHead.get(p)}\t${prefix}${p}` : `0 ${ZERO_ID}\t${prefix}${p}`)).join('\n');
  await syncIndex(dir, `${lines}\n`);
}
