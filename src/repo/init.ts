/**
 * runInit: a new calisti-gitops repo from an example or a model file: git init (if needed),
 * calisti.yaml at the root, everything generated, one commit. A failed run removes what it made.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError, UserError } from '../errors.js';
import { normalizeGitURL } from '../argocd/repo-url.js';
import { blueprintFor } from '../model/blueprint.js';
import { ModelEdit } from '../model/edit.js';
import { parseFleet, readModelText } from '../model/load.js';
import type { Fleet } from '../model/schema.js';
import { renderRepo } from '../render/index.js';
import { MODEL_FILE, README, README_BESIDE, SCHEMA_FILE } from '../render/layout.js';
import { withRenovateComment } from '../render/renovate.js';
import { examplesDir, EXAMPLES } from '../toolkit.js';
import { runGenerate, type GenerateResult } from './generate.js';
import { gitExec, initRepo, isRepoRoot, repoPrefix } from './git.js';
import { RepoFolder } from '../model/names.js';

export const INIT_MESSAGE = 'chore(calisti): initialize calisti-gitops repository';
const SCHEMA_LINE = `# yaml-language-server: $schema=${SCHEMA_FILE}`;
/** The examples' repoURL (the docs' `https://github.com/${GITHUB_ID}/...` with a placeholder id). */
export const EXAMPLE_REPO_URL = 'https://github.com/github-id/calisti-gitops.git';

export interface InitOptions {
  dir: string;
  example?: string;
  modelPath?: string;
  /** Overwrite files of an existing repository that the render also writes. */
  force?: boolean;
  /** The folder of the repository at `dir` that holds the tree (a monorepo): git.path. */
  path?: string;
}

/** `origin`'s URL as Argo CD should read it: no user or token an https clone URL may carry. */
export async function originUrl(dir: string): Promise<string | undefined> {
  const url = (await gitExec(dir, ['remote', 'get-url', 'origin']).catch(() => '')).trim();
  if (!url) return undefined;
  if (!url.startsWith('https://')) return url;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return undefined;
  }
}

/**
 * Where the tree goes: <dir>, a new repository or the root of one; or, with --path, that folder of
 * the repository at <dir> (a monorepo). A folder inside a repository without --path is refused:
 * a nested repository would be invisible to Argo CD.
 */
async function treeDir(opts: InitOptions): Promise<string> {
  const dir = resolve(opts.dir);
  if (opts.path !== undefined) {
    if (!RepoFolder.safeParse(opts.path).success)
      throw new UsageError(`--path ${opts.path}: must be a relative folder such as deploy/calisti (no "." or ".." segment)`);
    if ((await repoPrefix(dir)) !== '')
      throw new UserError(
        `${dir} is not the root of a git repository`,
        '--path names a folder inside an existing repository: calisti-gitops init <repo> --path <folder>',
      );
    return join(dir, opts.path);
  }
  let existing = dir;
  while (!existsSync(existing)) existing = dirname(existing);
  const prefix = await repoPrefix(existing);
  const folder = [...(prefix ? prefix.split('/') : []), ...relative(existing, dir).split(sep).filter(Boolean)];
  if (prefix !== undefined && folder.length > 0) {
    const top = resolve(existing, ...(prefix ? prefix.split('/').map(() => '..') : []));
    throw new UserError(
      `${dir} is inside the git repository ${top}`,
      `to keep the tree in a folder of it: calisti-gitops init ${top} --path ${folder.join('/')}`,
    );
  }
  return dir;
}

/**
 * The model text adapted to the repository it goes into: its origin for git.repoURL when the model
 * still names the example's, and the generated README beside a README the repository has. `fleet`
 * is the text's model (git.path aside); `edited` says whether the returned text's model differs.
 */
async function adapt(
  text: string,
  fleet: Fleet,
  display: string,
  dir: string,
  repo: string,
  existing: boolean,
  force: boolean,
  warnings: string[],
): Promise<{ text: string; edited: boolean }> {
  const edit = new ModelEdit(text);
  let edited = false;
  const origin = existing ? await originUrl(repo) : undefined;
  if (fleet.git.repoURL === EXAMPLE_REPO_URL && origin) {
    edit.set(['git', 'repoURL'], origin);
    edited = true;
    try {
      parseFleet(edit.text(), display);
    } catch {
      edit.set(['git', 'repoURL'], fleet.git.repoURL);
      warnings.push(
        `origin's URL ${origin} is not one Argo CD reads (https://, ssh:// or git@); git.repoURL stays the example's: set it in ${MODEL_FILE}, then run calisti-gitops generate`,
      );
    }
  } else if (fleet.git.repoURL === EXAMPLE_REPO_URL) {
    warnings.push(`git.repoURL is the example's ${EXAMPLE_REPO_URL}: set it to your repository in ${MODEL_FILE}, then run calisti-gitops generate`);
  } else if (origin && normalizeGitURL(origin) !== normalizeGitURL(fleet.git.repoURL)) {
    warnings.push(`git.repoURL ${fleet.git.repoURL} is not this repository's origin ${origin}: Argo CD will read the former`);
  }
  if (existing && !force && fleet.readme === README && existsSync(join(dir, README))) {
    edit.set(['readme'], README_BESIDE);
    edited = true;
    warnings.push(`kept your ${README}; the generated one is ${README_BESIDE} (readme: in ${MODEL_FILE})`);
  }
  return { text: edit.text(), edited };
}

export async function runInit(opts: InitOptions): Promise<GenerateResult> {
  if (opts.example && opts.modelPath) throw new UsageError('give either --example or -f, not both');
  const example = opts.modelPath ? undefined : (opts.example ?? 'multi-cluster');
  if (example && !(EXAMPLES as readonly string[]).includes(example)) {
    throw new UsageError(`unknown example "${example}"; choose one of: ${EXAMPLES.join(', ')}`);
  }
  const source = example ? join(examplesDir, example, MODEL_FILE) : resolve(opts.modelPath!);
  const display = example ? `examples/${example}/${MODEL_FILE}` : opts.modelPath!;
  let text = readModelText(source, display);
  // Validate before touching the disk.
  const fleet = parseFleet(text, display);
  if (!text.includes('yaml-language-server: $schema=')) text = `${SCHEMA_LINE}\n${text}`;
  // Renovate finds calisti.version by this comment (the repo's Renovate preset reads it).
  text = withRenovateComment(text, { blueprint: blueprintFor(fleet.calisti.version) });

  const dir = await treeDir(opts);
  if (existsSync(join(dir, MODEL_FILE))) {
    throw new UserError(`${join(dir, MODEL_FILE)} already exists`, `this repo is initialized; run: calisti-gitops generate -C ${dir}`);
  }
  const createdDir = !existsSync(dir);
  if (opts.path === undefined && !createdDir && readdirSync(dir).length > 0 && !(await isRepoRoot(dir))) {
    throw new UserError(`${dir} is not empty and not a git repository`, 'choose an empty or new folder, or an existing git repository');
  }
  const createdRepo = opts.path === undefined && (createdDir || !(await isRepoRoot(dir)));
  const warnings: string[] = [];
  if (opts.path !== undefined) text = new ModelEdit(text).set(['git', 'path'], opts.path).text();
  const adapted = await adapt(text, fleet, display, dir, opts.path === undefined ? dir : resolve(opts.dir), !createdRepo, opts.force ?? false, warnings);
  text = adapted.text;
  // Comments aside, the text is still the model parsed above: generate need not parse it again.
  const parsed = opts.path === undefined && !adapted.edited ? fleet : undefined;
  if (!createdRepo && !opts.force) {
    // The repo's own files stay its own: nothing is overwritten without --force.
    const taken = [...renderRepo(parseFleet(text, display)).keys()].filter((p) => existsSync(join(dir, p)));
    if (taken.length)
      throw new UserError(
        `${dir} already has files calisti-gitops writes:\n${taken.map((p) => `  ${p}`).join('\n')}`,
        `move them away, or overwrite them: calisti-gitops init ${opts.dir}${opts.path ? ` --path ${opts.path}` : ''} --force`,
      );
  }
  try {
    mkdirSync(dir, { recursive: true });
    if (createdRepo) await initRepo(dir);
    const r = await runGenerate({ dir, commit: true, force: opts.force ?? false, message: INIT_MESSAGE, modelText: { text, display, fleet: parsed } });
    return { ...r, warnings: [...warnings, ...r.warnings] };
  } catch (e) {
    // runGenerate already restored an existing repo; remove only what init itself created.
    if (createdDir) rmSync(dir, { recursive: true, force: true });
    else if (createdRepo) rmSync(join(dir, '.git'), { recursive: true, force: true });
    throw e;
  }
}
