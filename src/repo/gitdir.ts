/**
 * Where a working tree's git folder is, without running git: `.git` is a folder in a plain clone
 * and a file (`gitdir: <path>`) in a linked worktree or a submodule. The tool's own state (lock,
 * journal, build cache) lives there, never in the working tree.
 */
import { dirname, join, resolve } from 'node:path';
import { existsSync, lstatSync, readFileSync, type Stats } from 'node:fs';
import { UserError } from '../errors.js';

/** The scratch folders a writer makes in the git folder, by what they hold; a killed run's are swept by the next (journal.ts). */
export const SCRATCH = { index: 'calisti-index-', render: 'calisti-render-' } as const;

export function gitDir(root: string): string {
  // A calisti-gitops tree may be a folder of a bigger repository (git.path): its .git is above.
  let top = resolve(root);
  while (!existsSync(join(top, '.git')) && dirname(top) !== top) top = dirname(top);
  const dotGit = join(top, '.git');
  let st: Stats | undefined;
  try {
    st = lstatSync(dotGit);
  } catch {
    throw new UserError(`${root} is not in a git repository (no .git)`, 'create one with: calisti-gitops init <dir> --example multi-cluster');
  }
  if (st.isDirectory()) return dotGit;
  if (st.isFile() && st.size < 4096) {
    const m = /^gitdir: (.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (m) return resolve(top, m[1]!);
  }
  throw new UserError(`${dotGit} is neither a folder nor a "gitdir:" file`, `check the repository with: git -C ${root} status`);
}

/** The folder shared by all worktrees of a repository (a linked worktree's gitdir names it in `commondir`). */
export function commonGitDir(root: string): string {
  const dir = gitDir(root);
  try {
    return resolve(dir, readFileSync(join(dir, 'commondir'), 'utf8').trim());
  } catch {
    return dir;
  }
}
