/**
 * Bundles the compiled CLI (dist/src, from tsc) into dist/cli: one entry plus a chunk per lazily
 * loaded command. Node's ESM loader pays per module (zod alone is ~240 files), so a bundle starts
 * `validate` ~100 ms sooner. bin/calisti-gitops uses it when it is newer than dist/src, so a plain
 * `tsc` afterwards is never shadowed by a stale bundle.
 *
 * Left outside: the cluster client (only cluster commands load it, and it is large) and the Graphviz
 * WebAssembly (loaded by file).
 */
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATE_OPTIONS } from '../dist/src/render/prose.js';

/** The prose templates, compiled now instead of on every run (src/render/precompiled.ts). */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]render[\\/]precompiled\.js$/ }, () => {
      const dir = 'src/render/templates';
      const entries = readdirSync(dir)
        .filter((f) => f.endsWith('.hbs'))
        .sort()
        .map((f) => `  ${JSON.stringify(f.slice(0, -'.hbs'.length))}: ${Handlebars.precompile(readFileSync(join(dir, f), 'utf8'), TEMPLATE_OPTIONS)},`);
      return { contents: `export const precompiled = {\n${entries.join('\n')}\n};\n`, loader: 'js' };
    });
  },
};

/** The blueprints, parsed and checked now, each under the digest of its bytes (src/model/embedded-blueprints.ts). */
const embeddedBlueprints = {
  name: 'embedded-blueprints',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]model[\\/]embedded-blueprints\.js$/ }, async () => {
      const { parseBlueprint, blueprintDigest } = await import('../dist/src/model/blueprint.js');
      const dir = 'blueprints';
      const entries = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => {
          const text = readFileSync(join(dir, f), 'utf8');
          return [f, { digest: blueprintDigest(text), blueprint: parseBlueprint(f, text) }];
        });
      return { contents: `export const embeddedBlueprints = ${JSON.stringify(Object.fromEntries(entries))};\n`, loader: 'js' };
    });
  },
};

/**
 * zod's 40-odd message locales: the CLI writes English (zod's default, set without this index), but
 * `z.locales` re-exports them all, so every command would parse ~360 KB it never runs (~7 ms).
 */
const englishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";\n', loader: 'js' }));
  },
};

rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/src/cli/main.js' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@kubernetes/client-node', '@viz-js/viz'],
  // Every template is precompiled above: the runtime runs them, without the compiler (~150 KB).
  alias: { handlebars: 'handlebars/runtime' },
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: { js: "import { createRequire as __calistiRequire } from 'node:module'; const require = __calistiRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [precompiledTemplates, embeddedBlueprints, englishOnly],
});
