/**
 * What Argo CD actually applies from a repository: start where a person starts (`kubectl apply -k
 * bootstrap/`, or any kustomization or Application file), follow kustomization `resources`/`components`,
 * and follow each Application whose source is this repository into its path (a kustomization, or a
 * directory of manifests, recursed when `directory.recurse` is set). Files nothing reaches are never
 * applied, whatever they hold.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { MAX_MANIFEST_BYTES } from '../secrets/leak.js';
import { normalizeGitURL } from './repo-url.js';
import { isObj } from './types.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MANIFEST = /\.(ya?ml|json)$/;

export interface Reach {
  /** Repo-relative files Argo CD (or the person bootstrapping) applies, in visiting order. */
  files: string[];
  /** Paths that lead nowhere (outside the repo, missing), as messages. */
  problems: string[];
}

const isRemote = (ref: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || ref.includes('?ref=') || /^git@/.test(ref);

/** `folder`: the tree sits in this folder of its repository, where Application source paths start. */
export function reachableFiles(root: string, entry: string, repoURLs: string[], folder?: string): Reach {
  const urls = new Set(repoURLs.map(normalizeGitURL));
  const files: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();

  const inside = (rel: string): string | undefined => {
    const n = normalize(rel).replace(/\\/g, '/').replace(/\/$/, '');
    if (n === '..' || n.startsWith('../') || n.startsWith('/')) return undefined;
    return n === '' ? '.' : n;
  };
  const stat = (rel: string) => lstatSync(join(root, rel), { throwIfNoEntry: false });
  const readText = (rel: string): string | undefined => {
    const st = stat(rel);
    return st?.isFile() && st.size <= MAX_MANIFEST_BYTES ? readFileSync(join(root, rel), 'utf8') : undefined;
  };

  const visitFile = (rel: string): void => {
    if (seen.has(rel)) return;
    seen.add(rel);
    files.push(rel);
    const text = readText(rel);
    // Only a file that names the kind is parsed (an ApplicationSet of thousands of elements is not one).
    if (!text || !/Application(?!Set)/.test(text)) return;
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) continue;
      let obj: unknown;
      try {
        obj = doc.toJS();
      } catch (e) {
        // An alias bomb, say: Argo CD's YAML reader refuses it too, and the walk goes on.
        problems.push(`${rel}: ${(e as Error).message}`);
        continue;
      }
      if (!isObj(obj) || obj.kind !== 'Application' || !isObj(obj.spec)) continue;
      const sources = Array.isArray(obj.spec.sources) ? obj.spec.sources : [obj.spec.source];
      for (const src of sources) {
        if (!isObj(src) || typeof src.path !== 'string' || src.chart !== undefined) continue;
        if (!urls.has(normalizeGitURL(String(src.repoURL ?? '')))) continue;
        // Source paths start at the repository's root; this tree may be one folder of it.
        const repoPath = src.path.replace(/^\.?\/+/, '');
        if (folder && repoPath !== folder && !repoPath.startsWith(`${folder}/`)) continue;
        const path = inside(folder ? repoPath.slice(folder.length + 1) || '.' : src.path);
        if (path === undefined) problems.push(`${rel}: source path ${src.path} leaves the repository`);
        else visitSource(path, isObj(src.directory) && src.directory.recurse === true, rel);
      }
    }
  };

  const kustomizationIn = (dir: string): string | undefined => KUSTOMIZATION_FILES.map((f) => (dir === '.' ? f : `${dir}/${f}`)).find((f) => stat(f)?.isFile());

  const visitKustomization = (dir: string, kfile: string): void => {
    if (seen.has(kfile)) return;
    seen.add(kfile);
    files.push(kfile);
    let k: unknown;
    try {
      k = parse(readText(kfile) ?? '');
    } catch {
      problems.push(`${kfile}: does not parse`);
      return;
    }
    if (!isObj(k)) return;
    for (const field of ['resources', 'bases', 'components']) {
      const refs = Array.isArray(k[field]) ? k[field] : [];
      for (const ref of refs) {
        if (typeof ref !== 'string' || isRemote(ref)) continue;
        const target = inside(dir === '.' ? ref : `${dir}/${ref}`);
        if (target === undefined) {
          problems.push(`${kfile}: ${field} entry ${ref} leaves the repository`);
          continue;
        }
        const st = stat(target);
        if (!st) problems.push(`${kfile}: ${field} entry ${ref} does not exist`);
        else if (st.isDirectory()) {
          const inner = kustomizationIn(target);
          if (inner) visitKustomization(target, inner);
          else problems.push(`${kfile}: ${field} entry ${ref} is a folder without a kustomization`);
        } else if (st.isFile()) visitFile(target);
      }
    }
  };

  const visitSource = (dir: string, recurse: boolean, from: string): void => {
    const st = stat(dir);
    if (!st?.isDirectory()) {
      problems.push(`${from}: source path ${dir} is not a folder of this repository`);
      return;
    }
    const kfile = kustomizationIn(dir);
    if (kfile) return visitKustomization(dir, kfile);
    for (const name of readdirSync(join(root, dir)).sort()) {
      const rel = dir === '.' ? name : `${dir}/${name}`;
      const s = stat(rel);
      if (s?.isFile() && MANIFEST.test(name)) visitFile(rel);
      else if (s?.isDirectory() && recurse && !name.startsWith('.')) visitSource(rel, true, from);
    }
  };

  const start = inside(relative(root, join(root, entry)));
  if (start === undefined || !existsSync(join(root, start))) {
    problems.push(`${entry}: not found in the repository`);
    return { files, problems };
  }
  if (stat(start)?.isDirectory()) {
    const kfile = kustomizationIn(start);
    if (kfile) visitKustomization(start, kfile);
    else visitSource(start, false, entry);
  } else if (KUSTOMIZATION_FILES.some((f) => start === f || start.endsWith(`/${f}`))) {
    visitKustomization(start.includes('/') ? start.slice(0, start.lastIndexOf('/')) : '.', start);
  } else visitFile(start);
  return { files, problems };
}
