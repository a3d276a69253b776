/**
 * Crash safety: before the first write, what every touched file held (and HEAD) is written to a
 * journal in .git. A run killed midway leaves the journal; the next run that takes the lock puts
 * the files back (the old commit still stands) or, if the commit was made, keeps the new state.
 * Either way the repo is whole: as before, or as after.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitDir, SCRATCH } from './gitdir.js';
import { RepoFs, type SavedFile } from './fs.js';
import { resetIndexPaths } from './commit.js';
import { headCommit } from './git.js';
import { UserError, osReason } from '../errors.js';
import { journalPath } from './lock.js';

interface Saved {
  path: string;
  content: string | null;
  executable: boolean;
}

interface JournalFile {
  head: string | null;
  files: Saved[];
}

/**
 * Saves what the paths hold now, on disk; returns the same for an in-process rollback. `read` is
 * what the caller already read of them (the plan read every file it compares), else the disk.
 */
export function writeJournal(
  fs: RepoFs,
  head: string | undefined,
  paths: string[],
  read: (path: string) => string | undefined = (p) => fs.read(p),
): SavedFile[] {
  const saved = paths.map((path) => {
    const content = read(path);
    return { path, content, executable: content !== undefined && fs.isExecutable(path) };
  });
  const files: Saved[] = saved.map((f) => ({ path: f.path, content: f.content ?? null, executable: f.executable }));
  const file = journalPath(fs.root);
  writeFileSync(`${file}.tmp`, JSON.stringify({ head: head ?? null, files } satisfies JournalFile));
  renameSync(`${file}.tmp`, file);
  return saved;
}

export function clearJournal(root: string): void {
  rmSync(journalPath(root), { force: true });
}

/**
 * Removes what a killed writer left in the git folder: the stream holds a whole render (100 MB at
 * 10,000 clusters). Only writers make these, under the repo lock the caller holds.
 */
function sweepScratch(root: string): void {
  const dir = gitDir(root);
  for (const name of readdirSync(dir)) if (Object.values(SCRATCH).some((p) => name.startsWith(p))) rmSync(join(dir, name), { recursive: true, force: true });
}

/** What `recover` did, said the way a person reads it on the next run. */
export function describeRecovery(r: 'rolled-back' | 'kept'): string {
  return r === 'rolled-back'
    ? 'an interrupted run was found and undone: the files it had changed are back as they were'
    : 'an interrupted run was found and finished: its commit had been made, the index now matches it';
}

/** Finishes what a killed run left: returns what it did, or undefined when there was nothing. */
export async function recover(root: string): Promise<'rolled-back' | 'kept' | undefined> {
  const file = journalPath(root);
  rmSync(`${file}.tmp`, { force: true });
  sweepScratch(root);
  if (!existsSync(file)) return undefined;
  let journal: JournalFile;
  try {
    journal = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    clearJournal(root);
    return undefined;
  }
  const head = (await headCommit(root)) ?? null;
  if (head !== journal.head) {
    // The commit was made: the new state is complete; only the index may lag behind it.
    await resetIndexPaths(
      root,
      journal.files.map((f) => f.path),
    );
    clearJournal(root);
    return 'kept';
  }
  const fs = new RepoFs(root);
  try {
    for (const f of journal.files) {
      if (f.content === null) fs.remove(f.path);
      else fs.write(f.path, f.content, f.executable);
    }
  } catch (e) {
    // The journal stays: the next run tries again, and nothing runs on a half-restored tree.
    throw new UserError(
      `an interrupted run could not be undone yet: ${osReason(e)}`,
      'free the disk space (or fix the permission) and run the command again; it finishes the undo first',
    );
  }
  // The index was not touched before the commit: nothing to undo there.
  clearJournal(root);
  return 'rolled-back';
}
