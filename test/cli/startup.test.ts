/**
 * Start-up: a command loads only what it runs. `--version`, `--help` and every command's `--help`
 * must not pull in the model, YAML, templates, git or the cluster client (each costs tens of ms).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const main = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js')).href;

/** The modules Node resolved while the CLI ran `argv`, as node_modules package names and dist/src paths. */
function loaded(argv: string[]): string[] {
  const dir = tempDir();
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, 'export async function resolve(s, c, next) { const r = await next(s, c); console.error(`LOADED ${r.url}`); return r; }\n');
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const script = `const { run } = await import(${JSON.stringify(main)}); process.exitCode = await run(${JSON.stringify(argv)}, { out() {}, err() {} });`;
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const names = new Set<string>();
  for (const m of r.stderr.matchAll(/^LOADED (\S+)$/gm)) {
    const url = m[1] ?? '';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (pkg?.[1]) names.add(pkg[1]);
    else if (url.includes('/dist/src/')) names.add(url.slice(url.indexOf('/dist/src/') + '/dist/src/'.length));
  }
  return [...names].sort();
}

/** What only a running command may load. */
const HEAVY = ['zod', 'yaml', 'js-yaml', 'handlebars', 'simple-git', 'diff', '@kubernetes/client-node', '@kubernetes-models/argo-cd', '@viz-js/viz'];

describe('start-up', () => {
  const commands = ['generate', 'init', 'validate', 'diff', 'upgrade', 'outdated', 'seal', 'appset generate', 'graph', 'schemas pull', 'clusters add'];
  const runs = ['--version', '--help', ...commands.map((c) => `${c} --help`)];
  it.each(runs)('%s loads no model, YAML, git or cluster code', (line) => {
    const mods = loaded(line.split(' '));
    expect(mods).toContain('commander');
    expect(mods.filter((m) => HEAVY.includes(m))).toEqual([]);
    expect(mods.filter((m) => /^(model|render|repo|validate\/index|argocd|cluster|upgrade|diff|graph)\//.test(m))).toEqual([]);
  });
});
