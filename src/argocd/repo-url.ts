/**
 * Repository URLs compared the way Argo CD compares them (its git URL normalisation): case does
 * not matter, nor a trailing `.git` or `/`, and scp-style `git@host:path` is `ssh://git@host/path`.
 * Two spellings of this repo must not make validate skip a source as "another repository".
 */
export function normalizeGitURL(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^([a-z0-9_.-]+@[a-z0-9_.-]+):(?!\/\/)(.*)$/.exec(u);
  if (scp && !u.includes('://')) u = `ssh://${scp[1]}/${scp[2]!.replace(/^\/+/, '')}`;
  u = u
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  return u;
}
