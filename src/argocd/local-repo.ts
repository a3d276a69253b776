/**
 * A local checkout as the repository Argo CD's repo server would read for git generators. The
 * ApplicationSet's `repoURL` must be this repository (one of its remotes, or a URL the caller vouches
 * for); the working tree stands for HEAD and the checked-out branch (what validate checks before a push),
 * any other revision is read from git objects.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_MANIFEST_BYTES } from '../secrets/leak.js';
import { normalizeGitURL } from './repo-url.js';
import { AppSetError, type GitSource, type RepoFiles } from './types.js';

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

const nul = (out: string | undefined): string[] => (out ?? '').split('\0').filter(Boolean);

/** The toplevel of the git checkout holding `dir`, or undefined. */
export function checkoutRoot(dir: string): string | undefined {
  return git(dir, ['rev-parse', '--show-toplevel'])?.trim() || undefined;
}

/** Remote URLs of a checkout, normalized as Argo CD compares them. */
export function remoteURLs(root: string): string[] {
  const out = git(root, ['config', '--get-regexp', '^remote\\..*\\.url$']) ?? '';
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => normalizeGitURL(l.slice(l.indexOf(' ') + 1)));
}

function workingTree(root: string): RepoFiles {
  const paths = nul(git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'])).filter((p) => {
    const st = lstatSync(join(root, p), { throwIfNoEntry: false });
    return st?.isFile() === true;
  });
  return {
    paths: [...new Set(paths)].sort(),
    read: (p) => {
      const st = lstatSync(join(root, p));
      // The ApplicationSet fails to generate (an error finding), not the whole run.
      if (st.size > MAX_MANIFEST_BYTES) throw new AppSetError(`${p} is larger than ${MAX_MANIFEST_BYTES} bytes`);
      return readFileSync(join(root, p), 'utf8');
    },
  };
}

function commitTree(root: string, commit: string): RepoFiles {
  return {
    paths: nul(git(root, ['ls-tree', '-r', '-z', '--name-only', commit])),
    read: (p) => git(root, ['cat-file', 'blob', `${commit}:${p}`]) ?? '',
  };
}

/** Reads git generators' repositories from the checkout at `root` when their URL is one of `urls` (or a remote). */
export function localGitSource(root: string, extraURLs: string[] = []): GitSource {
  // Asked of git on the first read: most fleets have no git generator, and each question is a process.
  let known: Set<string> | undefined;
  let branch: string | undefined;
  const cache = new Map<string, RepoFiles | undefined>();
  return {
    at(repoURL, revision) {
      if (!known) {
        known = new Set([...remoteURLs(root), ...extraURLs.map(normalizeGitURL), normalizeGitURL(`file://${root}`), normalizeGitURL(root)]);
        branch = git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'])?.trim();
      }
      if (!known.has(normalizeGitURL(repoURL))) return undefined;
      const rev = revision.trim();
      if (!cache.has(rev)) {
        if (rev === '' || rev === 'HEAD' || rev === branch) cache.set(rev, workingTree(root));
        else {
          const commit = [rev, `origin/${rev}`].map((r) => git(root, ['rev-parse', '--verify', '--quiet', `${r}^{commit}`])?.trim()).find(Boolean);
          cache.set(rev, commit ? commitTree(root, commit) : undefined);
        }
      }
      return cache.get(rev);
    },
  };
}
