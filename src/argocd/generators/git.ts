/**
 * The git generator, read from a local checkout: `directories` (path.Match, exclude wins) and `files`
 * (git pathspecs, JSON/YAML objects or lists), with Argo's path parameters, `pathParamPrefix` and `values`.
 */
import { parse } from 'yaml';
import { checkoutDirectories, pathMatch, pathspecFiles } from '../globs.js';
import { goStrings } from '../gotemplate/index.js';
import { flatStrings } from '../gofmt.js';
import { normalizeName } from '../names.js';
import { AppSetError, isObj, OfflineError, type Obj, type Params, type RepoFiles } from '../types.js';
import type { Generator, GeneratorRun } from './types.js';
import { withValues } from './values.js';

const dirname = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.');
const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
type Item = { path: string; exclude: boolean };

function items(raw: unknown): Item[] {
  return (Array.isArray(raw) ? raw : []).filter(isObj).map((i) => ({ path: String(i.path ?? ''), exclude: i.exclude === true }));
}

function pathParams(dir: string, file: string | undefined, prefix: string, goTemplate: boolean): Params {
  if (goTemplate) {
    const p: Params = { path: dir, basename: basename(dir), ...(file ? { filename: basename(file) } : {}), basenameNormalized: normalizeName(basename(dir)) };
    if (file) p.filenameNormalized = normalizeName(basename(file));
    p.segments = goStrings(dir.split('/')); // []string in Argo
    return prefix ? { [prefix]: { path: p } } : { path: p };
  }
  const name = prefix ? `${prefix}.path` : 'path';
  const out: Params = { [name]: dir, [`${name}.basename`]: basename(dir), [`${name}.basenameNormalized`]: normalizeName(basename(dir)) };
  if (file) {
    out[`${name}.filename`] = basename(file);
    out[`${name}.filenameNormalized`] = normalizeName(basename(file));
  }
  dir.split('/').forEach((seg, i) => {
    if (seg !== '') out[`${name}[${i}]`] = seg;
  });
  return out;
}

function fileObjects(file: string, text: string, repoURL: string): Obj[] {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (e) {
    throw new AppSetError(
      `error generating params from git: unable to process file '${file}' from repository '${repoURL}': unable to parse file: ${(e as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return [{}];
  if (isObj(parsed)) return [parsed];
  if (Array.isArray(parsed) && parsed.every((p) => p === null || isObj(p))) return parsed.map((p: Obj | null) => p ?? {});
  // Argo decodes into a map, then into a list of maps: the second decoder's complaint is what it reports.
  const jsonType = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v);
  const why = Array.isArray(parsed)
    ? `cannot unmarshal ${jsonType(parsed.find((p) => p !== null && !isObj(p)))} into Go value of type map[string]interface {}`
    : `cannot unmarshal ${jsonType(parsed)} into Go value of type []map[string]interface {}`;
  throw new AppSetError(
    `error generating params from git: unable to process file '${file}' from repository '${repoURL}': unable to parse file: error unmarshaling JSON: while decoding JSON: json: ${why}`,
  );
}

function checkout(spec: Obj, run: GeneratorRun): RepoFiles {
  const repoURL = String(spec.repoURL ?? '');
  const revision = String(spec.revision ?? '');
  const files = run.ctx.repo?.at(repoURL, revision);
  if (!files) throw new OfflineError(`git generator reads ${repoURL} at revision "${revision}", which is not available offline (pass --repo <checkout>)`);
  return files;
}

export const git: Generator = {
  params(spec, run) {
    const prefix = typeof spec.pathParamPrefix === 'string' ? spec.pathParamPrefix : '';
    const dirs = items(spec.directories);
    const fileItems = items(spec.files);
    if (dirs.length === 0 && fileItems.length === 0) throw new AppSetError('ApplicationSet is empty');
    const repo = checkout(spec, run);
    let sets: Params[];
    if (dirs.length) {
      const picked = checkoutDirectories(repo.paths).filter((d) => {
        let include = false;
        let exclude = false;
        for (const item of dirs) {
          if (pathMatch(item.path, d) !== true) continue;
          if (item.exclude) exclude = true;
          else include = true;
        }
        return include && !exclude;
      });
      sets = picked.map((d) => pathParams(d, undefined, prefix, run.goTemplate));
    } else {
      const chosen = new Set<string>();
      for (const item of fileItems) if (!item.exclude) for (const f of pathspecFiles(item.path, repo.paths)) chosen.add(f);
      for (const item of fileItems) if (item.exclude) for (const f of pathspecFiles(item.path, repo.paths)) chosen.delete(f);
      const repoURL = String(spec.repoURL ?? '');
      sets = [...chosen].sort().flatMap((file) =>
        fileObjects(file, repo.read(file), repoURL).map((obj) => {
          const path = pathParams(dirname(file), file, prefix, run.goTemplate);
          return run.goTemplate ? { ...obj, ...path } : { ...flatStrings(obj), ...path };
        }),
      );
    }
    return withValues(sets, spec.values, run);
  },
};
