/**
 * Where a working tree's git folder is, without running git: `.git` is a folder in a plain clone
 * and a file (`gitdir: <path>`) in a linked worktree or a submodule. The tool's own state (lock,
 * journal, build cache) lives there, never in the working tree.
 */
import { join, resolve } from 'node:path';
import { lstatSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

export function gitDir(root: string): string {
  const dotGit = join(root, '.git');
  let st;
  try {
    st = lstatSync(dotGit);
  } catch {
    throw new UserError(`${root} is not the root of a git repository (no .git)`, 'create one with: calisti-gitops init <dir> --example multi-cluster');
  }
  if (st.isDirectory()) return dotGit;
  if (st.isFile() && st.size < 4096) {
    const m = /^gitdir: (.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (m) return resolve(root, m[1]!);
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
