/**
 * The two path-matching rules the git generator relies on: Go's `path.Match` for `directories`
 * (`*` stays inside one segment) and git's pathspec for `files` (`git ls-files -- <pattern>`, where `*`
 * also matches "/" and a plain path matches everything under it).
 */

function classToRegex(body: string): string {
  const negate = body.startsWith('^') || body.startsWith('!');
  const inner = (negate ? body.slice(1) : body).replace(/\\(.)/g, '\\$1').replace(/[\]^]/g, '\\$&');
  return `[${negate ? '^' : ''}${inner}]`;
}

/** Compiles a glob; `star` is what `*` and `?` may match (one segment, or anything). Returns undefined on a bad pattern. */
function globRegex(pattern: string, anyChar: string): RegExp | undefined {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += `${anyChar}*`;
    else if (ch === '?') re += anyChar;
    else if (ch === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      re += classToRegex(pattern.slice(i + 1, end));
      i = end;
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`, 's');
  } catch {
    return undefined;
  }
}

/** Go's path.Match; undefined when the pattern is malformed (Argo logs it and skips that pattern). */
export function pathMatch(pattern: string, name: string): boolean | undefined {
  const re = globRegex(pattern, '[^/]');
  return re ? re.test(name) : undefined;
}

/** Files a git pathspec selects, in the order given. */
export function pathspecFiles(pattern: string, files: string[]): string[] {
  const spec = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (spec === '' || spec === '.') return files;
  const wild = /[*?[]/.test(spec) ? globRegex(spec, '.') : undefined;
  return files.filter((f) => f === spec || f.startsWith(`${spec}/`) || (wild !== undefined && (wild.test(f) || leadingDirMatches(wild, f))));
}

// A wildcard pathspec also selects the files under a directory it matches.
function leadingDirMatches(re: RegExp, file: string): boolean {
  for (let i = file.indexOf('/'); i > 0; i = file.indexOf('/', i + 1)) if (re.test(file.slice(0, i))) return true;
  return false;
}

/** Directories of a checkout as the repo server walks them: depth first, by name, hidden ones skipped. */
export function checkoutDirectories(files: string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (parts[i - 1]!.startsWith('.')) break;
      dirs.add(parts.slice(0, i).join('/'));
    }
  }
  // Depth-first walk order: compare segment by segment, byte order.
  return [...dirs].sort((a, b) => {
    const x = a.split('/');
    const y = b.split('/');
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length - y.length;
  });
}
