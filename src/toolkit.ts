/** Where the toolkit's own data folders live, whether we run from src/ (tests) or dist/src/ (CLI). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'calisti-gitops') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('calisti-gitops: cannot find the toolkit root (package.json)');
    dir = parent;
  }
}

export const toolkitRoot = findRoot();
export const toolkitVersion: string = JSON.parse(readFileSync(join(toolkitRoot, 'package.json'), 'utf8')).version;
export const blueprintsDir = join(toolkitRoot, 'blueprints');
export const overlaysDir = join(toolkitRoot, 'overlays');
export const examplesDir = join(toolkitRoot, 'examples');
/** The example fleets `init --example` starts from (folders of examples/). */
export const EXAMPLES = ['single-cluster', 'multi-cluster', 'active-active'] as const;
export const schemasDir = join(toolkitRoot, 'schemas');
export const templatesDir = join(toolkitRoot, 'src', 'render', 'templates');
