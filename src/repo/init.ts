/**
 * runInit: a new calisti-gitops repo from an example or a model file: git init (if needed),
 * calisti.yaml at the root, everything generated, one commit. A failed run removes what it made.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError, UserError } from '../errors.js';
import { blueprintFor } from '../model/blueprint.js';
import { parseFleet, readModelText } from '../model/load.js';
import { MODEL_FILE, SCHEMA_FILE } from '../render/layout.js';
import { withRenovateComment } from '../render/renovate.js';
import { examplesDir, EXAMPLES } from '../toolkit.js';
import { runGenerate, type GenerateResult } from './generate.js';
import { initRepo, isRepoRoot } from './git.js';

export const INIT_MESSAGE = 'chore(calisti): initialize calisti-gitops repository';
const SCHEMA_LINE = `# yaml-language-server: $schema=${SCHEMA_FILE}`;

export interface InitOptions {
  dir: string;
  example?: string;
  modelPath?: string;
}

export async function runInit(opts: InitOptions): Promise<GenerateResult> {
  if (opts.example && opts.modelPath) throw new UsageError('give either --example or -f, not both');
  const example = opts.modelPath ? undefined : opts.example ?? 'multi-cluster';
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

  const dir = resolve(opts.dir);
  if (existsSync(join(dir, MODEL_FILE))) {
    throw new UserError(`${join(dir, MODEL_FILE)} already exists`, `this repo is initialized; run: calisti-gitops generate -C ${opts.dir}`);
  }
  const createdDir = !existsSync(dir);
  if (!createdDir && readdirSync(dir).length > 0 && !(await isRepoRoot(dir))) {
    throw new UserError(`${dir} is not empty and not a git repository`, 'choose an empty or new folder, or an existing git repository');
  }
  const createdRepo = createdDir || !(await isRepoRoot(dir));
  try {
    mkdirSync(dir, { recursive: true });
    if (createdRepo) await initRepo(dir);
    return await runGenerate({ dir, commit: true, force: false, message: INIT_MESSAGE, modelText: { text, display } });
  } catch (e) {
    // runGenerate already restored an existing repo; remove only what init itself created.
    if (createdDir) rmSync(dir, { recursive: true, force: true });
    else if (createdRepo) rmSync(join(dir, '.git'), { recursive: true, force: true });
    throw e;
  }
}
