/** The render kept as merge bases: fast-import and the scratch index store the same tree. */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASES_REF, fastImportPlan, STAGE, storedRender, storeRender } from '../../src/repo/bases.js';
import { blobId } from '../../src/repo/state.js';
import { tempDir } from '../helpers.js';

const repo = () => {
  const dir = join(tempDir(), 'r');
  execFileSync('git', ['init', '-q', dir]);
  return dir;
};
const tree = (dir: string) => execFileSync('git', ['-C', dir, 'rev-parse', `${BASES_REF}^{tree}`], { encoding: 'utf8' }).trim();
const render = (files: Record<string, string>, executable = new Set<string>()) =>
  new Map(Object.entries(files).map(([p, content]) => [p, { content, executable: executable.has(p), blob: blobId(content) }]));

const FIRST = {
  'README.md': '# r\n',
  'a.sh': '#!/bin/sh\n',
  'manifests/demo/base/kustomization.yaml': 'resources: []\n',
  ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`manifests/demo/overlays/c${i}/kustomization.yaml`, `resources: [../../base]\n# ${i}\n`])),
};
const SECOND = { ...FIRST, 'README.md': '# r2\n', 'manifests/new/x.yaml': 'x: 1\n' } as Record<string, string>;
delete SECOND['manifests/demo/overlays/c3/kustomization.yaml'];

/** One store, from the stored render as git has it. */
const store = async (
  dir: string,
  files: Map<string, { content: string; executable: boolean; blob: string }>,
  opts: { maxScanned?: number; extra?: string[]; stageFrom?: number } = {},
) => storeRender(dir, files, { stored: await storedRender(dir), identity: {}, ...opts }).done;
const has = (dir: string, id: string) => execFileSync('git', ['-C', dir, 'cat-file', '-t', id], { encoding: 'utf8' }).trim();

describe('storeRender', () => {
  it('stores the same tree through fast-import and through a scratch index, first and after a change', async () => {
    const [viaImport, viaIndex] = [repo(), repo()];
    const exec = new Set(['a.sh']);
    await store(viaImport, render(FIRST, exec));
    await store(viaIndex, render(FIRST, exec), { maxScanned: 0 });
    expect(tree(viaIndex)).toBe(tree(viaImport));
    await store(viaImport, render(SECOND, exec));
    await store(viaIndex, render(SECOND, exec), { maxScanned: 0 });
    expect(tree(viaIndex)).toBe(tree(viaImport));
    const listed = execFileSync('git', ['-C', viaIndex, 'ls-tree', '-r', BASES_REF], { encoding: 'utf8' });
    expect(listed).toContain('100755 blob');
    expect(listed).not.toContain('c3/');
    // The previous render stays reachable: the tip's parent.
    expect(execFileSync('git', ['-C', viaIndex, 'rev-list', '--count', BASES_REF], { encoding: 'utf8' }).trim()).toBe('2');
  });

  it('stores what else the run writes as blobs beside the render, through either route, and leaves no scratch file', async () => {
    const [viaImport, viaIndex] = [repo(), repo()];
    for (const [dir, maxScanned] of [
      [viaImport, undefined],
      [viaIndex, 0],
    ] as const) {
      await store(dir, render(FIRST), { maxScanned, extra: ['model: 1\n', 'state: 2\n'] });
      expect(has(dir, blobId('model: 1\n'))).toBe('blob');
      expect(has(dir, blobId('state: 2\n'))).toBe('blob');
      // The render already stored: only the new blob is written, the ref stays.
      const tip = execFileSync('git', ['-C', dir, 'rev-parse', BASES_REF], { encoding: 'utf8' });
      await store(dir, render(FIRST), { maxScanned, extra: ['model: 3\n'] });
      expect(has(dir, blobId('model: 3\n'))).toBe('blob');
      expect(execFileSync('git', ['-C', dir, 'rev-parse', BASES_REF], { encoding: 'utf8' })).toBe(tip);
      expect(readdirSync(join(dir, '.git')).filter((f) => f.startsWith('calisti-'))).toEqual([]);
    }
  });

  it('takes the scratch index for a render too big for fast-import alone, and fast-import when as many files are written beside it', async () => {
    // 6,000 overlays in one folder: 36 million folder entries scanned, above fast-import's share alone.
    const big = render(Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`manifests/demo/overlays/c${i}/kustomization.yaml`, `# ${i}\n`])));
    const [alone, beside] = [repo(), repo()];
    await store(alone, big);
    await storeRender(beside, big, { stored: await storedRender(beside), identity: {}, besideWrites: big.size }).done;
    const loose = (dir: string) => Number(/^count: (\d+)/m.exec(execFileSync('git', ['-C', dir, 'count-objects', '-v'], { encoding: 'utf8' }))![1]);
    expect(loose(alone)).toBeGreaterThan(6000); // a loose object per tree
    expect(loose(beside)).toBe(0); // one pack
    expect(tree(beside)).toBe(tree(alone));
  });

  it('never moves the ref off a render stored since it was read (a run killed with its fast-import still going), through either route', async () => {
    for (const maxScanned of [undefined, 0]) {
      const dir = repo();
      await store(dir, render(FIRST));
      const read = await storedRender(dir); // what a run read, before another stored its render
      await store(dir, render(SECOND));
      const tip = execFileSync('git', ['-C', dir, 'rev-parse', BASES_REF], { encoding: 'utf8' });
      const late = storeRender(dir, render({ ...FIRST, 'README.md': '# late\n' }), { stored: read, identity: {}, maxScanned });
      await expect(late.done).rejects.toThrow();
      expect(execFileSync('git', ['-C', dir, 'rev-parse', BASES_REF], { encoding: 'utf8' })).toBe(tip);
    }
  });
});

describe('fast-import staging: a new folder in a big one is written aside, then moved into place', () => {
  const overlays = (n: number, from = 0) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => i + from).flatMap((i) => [
        [`m/overlays/c${i}/kustomization.yaml`, `resources: [../../base]\n# ${i}\n`],
        [`m/overlays/c${i}/patch.yaml`, `kind: X\nname: c${i}\n`],
        [`m/overlays/c${i}/run.sh`, `#!/bin/sh\necho ${i}\n`],
      ]),
    );
  const exec = (files: Record<string, string>) => new Set(Object.keys(files).filter((p) => p.endsWith('.sh')));

  it('stores the same tree as the scratch index, first and after a change', async () => {
    const first = { 'README.md': '# r\n', 'm/base/kustomization.yaml': 'resources: []\n', ...overlays(100) };
    const second: Record<string, string> = { ...first, ...overlays(20, 100), 'm/overlays/c5/patch.yaml': 'kind: X\nname: changed\n' };
    delete second['m/overlays/c7/run.sh'];
    // Staged from any cost here (a run stages only where fast-import's scans would be long).
    expect(fastImportPlan(Object.keys(first), Object.keys(first), [], [], 0).staged.size).toBe(100);
    expect(fastImportPlan(Object.keys(first), Object.keys(first), [], []).staged.size).toBe(0);
    const [viaImport, viaIndex] = [repo(), repo()];
    for (const files of [first, second]) {
      await store(viaImport, render(files, exec(files)), { stageFrom: 0 });
      await store(viaIndex, render(files, exec(files)), { maxScanned: 0 });
      expect(tree(viaImport)).toBe(tree(viaIndex));
    }
    expect(execFileSync('git', ['-C', viaImport, 'ls-tree', '-r', '--name-only', BASES_REF], { encoding: 'utf8' })).not.toContain(STAGE);
  });

  it('stages only folders that are new, hold every change below them directly, and sit in a big folder', () => {
    const stored = Object.keys(overlays(80));
    const all = [...stored, ...Object.keys(overlays(2, 80)), 'm/overlays/c81/deep/x.yaml', 'small/new/y.yaml'];
    const changed = [
      'm/overlays/c3/patch.yaml',
      'm/overlays/c80/patch.yaml',
      'm/overlays/c80/run.sh',
      'm/overlays/c81/patch.yaml',
      'm/overlays/c81/deep/x.yaml',
      'small/new/y.yaml',
    ];
    const plan = fastImportPlan(all, changed, [], stored, 0);
    // c3 was stored, c81 holds a change deeper down, c81/deep and small/new sit in small folders.
    expect([...plan.staged.keys()]).toEqual(['m/overlays/c80']);
    expect(plan.direct).toEqual(['m/overlays/c3/patch.yaml', 'm/overlays/c81/patch.yaml', 'm/overlays/c81/deep/x.yaml', 'small/new/y.yaml']);
    // A render or a stored tree that uses the staging folder itself: nothing is staged.
    expect(fastImportPlan([...all, `${STAGE}/z`], [...changed, `${STAGE}/z`], [], stored, 0).staged.size).toBe(0);
  });
});

describe('fastImportPlan: the folder entries fast-import scans to reach the paths it changes', () => {
  const scanCost = (all: string[], paths: string[]) => fastImportPlan(all, paths, [], [], Number.POSITIVE_INFINITY).cost;
  const tree = ['a/b/c.yaml', 'a/b/d.yaml', 'a/e.yaml', 'f.yaml', 'g/h/i/j.yaml'];
  it.each([
    { paths: ['f.yaml'], cost: 3 }, // the root: a, f.yaml, g
    { paths: ['a/b/c.yaml'], cost: 3 + 2 + 2 }, // the root, a (b, e.yaml), a/b (c.yaml, d.yaml)
    { paths: ['a/b/c.yaml', 'a/b/d.yaml', 'a/e.yaml'], cost: 7 + 7 + 3 + 2 },
    { paths: ['g/h/i/j.yaml'], cost: 3 + 1 + 1 + 1 },
    { paths: [], cost: 0 },
  ])('$paths: $cost', ({ paths, cost }) => {
    expect(scanCost(tree, paths)).toBe(cost);
    expect(scanCost([...tree].reverse(), paths)).toBe(cost);
  });
});

describe('paths fast-import must read quoted', () => {
  // Control characters, quotes, backslashes, non-ASCII and a lone surrogate (stored as U+FFFD, as
  // the UTF-8 encoder writes it): the same tree through either route, staged or not.
  it.each(['ctrl \x01', 'esc\x1b', 'del\x7f', 'tab\tand "quote" \\ back', 'ü ✓', 'lone\ud800'])('%j', async (name) => {
    const files: Record<string, string> = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`big/o${i}/k.yaml`, `${i}\n`]));
    files[`big/${name}/k.yaml`] = 'x\n';
    files[`top ${name}.yaml`] = 'y\n';
    const trees = [];
    for (const opts of [{ stageFrom: 0 }, {}, { maxScanned: 0 }]) {
      const dir = repo();
      await store(dir, render(files), opts);
      trees.push(tree(dir));
    }
    expect(new Set(trees).size).toBe(1);
  });
});
