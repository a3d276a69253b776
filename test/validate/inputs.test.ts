/** What a build reads (its cache key) and what makes it unsafe to run: fixture trees, no kustomize. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gitView, knownFiles } from '../../src/repo/clean.js';
import { buildHazards, buildKey, joinTree, kustomizationInputs, relativeTo, TreeReader, treePath } from '../../src/validate/inputs.js';
import { tempDir } from '../helpers.js';

function tree(files: Record<string, string>, root = tempDir()): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

describe('build inputs', () => {
  it('include every path field kustomize reads, configurations too', () => {
    const root = tree({
      'o/kustomization.yaml': 'resources: [cm.yaml]\nconfigurations: [names.yaml]\ncrds: [crd.yaml]\nreplacements:\n  - path: r.yaml\n',
      'o/cm.yaml': 'x',
      'o/names.yaml': 'y',
      'o/crd.yaml': 'z',
      'o/r.yaml': 'w',
    });
    expect(kustomizationInputs(root, 'o')!.sort()).toEqual(['o/cm.yaml', 'o/crd.yaml', 'o/kustomization.yaml', 'o/names.yaml', 'o/r.yaml']);
    const before = buildKey(root, 'o', '');
    writeFileSync(join(root, 'o/names.yaml'), 'changed');
    expect(buildKey(root, 'o', '')).not.toEqual(before);
  });
});

describe('anyInput', () => {
  // Overlays on a shared base, one on a folder with no kustomization, one on a remote, two in a loop.
  const files = {
    'base/kustomization.yaml': 'resources: [deploy.yaml, ../common]\n',
    'base/deploy.yaml': 'a: 1\n',
    'common/kustomization.yaml': 'resources: [cm.yaml, gone.yaml]\n',
    'common/cm.yaml': 'b: 1\n',
    'o1/kustomization.yaml': 'resources: [../base, own.yaml]\n',
    'o1/own.yaml': 'c: 1\n',
    'o2/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: p.yaml\n',
    'o2/p.yaml': 'd: 1\n',
    'plain/x.yaml': 'e: 1\n',
    'o3/kustomization.yaml': 'resources: [../plain]\n',
    'o4/kustomization.yaml': 'resources: [https://example.com/x.yaml]\n',
    'l1/kustomization.yaml': 'resources: [../l2]\n',
    'l2/kustomization.yaml': 'resources: [../l1]\n',
  };
  const known = ['o1', 'o2', 'base', 'common'];

  it.each([
    ['o1/own.yaml', false],
    ['o2/p.yaml', false],
    ['base/deploy.yaml', false],
    ['common/cm.yaml', false],
    ['common/kustomization.yaml', false],
    ['common/gone.yaml', true],
    ['nothing/here.yaml', false],
  ])('answers as the listed inputs do: a test passed by %s', (target, missing) => {
    const reader = new TreeReader(tree(files));
    const test = (p: string, m: boolean) => p === target && m === missing;
    const seen = new Map<string, boolean>();
    for (const dir of known) {
      const listed = reader.inputs(dir)!.some((f) => (f.endsWith('#missing') ? test(f.slice(0, -'#missing'.length), true) : test(f, false)));
      expect(reader.anyInput(dir, test, seen), dir).toBe(listed);
    }
  });

  it('is true when the inputs cannot be known or loop, whatever the test', () => {
    const reader = new TreeReader(tree(files));
    const none = () => false;
    for (const dir of ['o3', 'o4', 'l1', 'l2']) expect(reader.anyInput(dir, none, new Map()), dir).toBe(true);
    expect(reader.anyInput('o1', none, new Map())).toBe(false);
  });

  it('asks the test once per input of a shared base, however many overlays read it', () => {
    const reader = new TreeReader(tree(files));
    const asked: string[] = [];
    const seen = new Map<string, boolean>();
    const record = (p: string) => {
      asked.push(p);
      return false;
    };
    for (const dir of ['o1', 'o2', 'o1']) reader.anyInput(dir, record, seen);
    expect(asked.filter((p) => p === 'base/deploy.yaml')).toHaveLength(1);
    expect(asked.filter((p) => p === 'common/cm.yaml')).toHaveLength(1);
  });
});

describe('build hazards', () => {
  it.each([
    ['a URL', 'resources: [https://example.com/x.yaml]\n', 'remote'],
    ['a git base', 'resources: [github.com/org/repo//dir?ref=v1]\n', 'remote'],
    ['an scp-style git base', 'resources: [git@github.com:org/repo.git]\n', 'remote'],
    ['a Helm chart to download', 'helmCharts:\n  - {name: c, repo: https://charts.example.com}\n', 'remote'],
  ])('%s is remote', (_name, kustomization, kind) => {
    const root = tree({ 'o/kustomization.yaml': kustomization });
    expect(buildHazards(root, 'o', 1 << 20).map((h) => h.kind)).toEqual([kind]);
  });

  it('symlinks out of the repo, to devices, loops and oversized files are unsafe; nothing is read', () => {
    const root = tree({
      'o/kustomization.yaml': 'resources: [zero.yaml, out.yaml, loop.yaml, big.yaml, ok.yaml]\n',
      'o/ok.yaml': 'a: 1\n',
      'o/big.yaml': 'a'.repeat(2048),
    });
    symlinkSync('/dev/zero', join(root, 'o/zero.yaml'));
    symlinkSync('/etc/passwd', join(root, 'o/out.yaml'));
    symlinkSync('loop.yaml', join(root, 'o/loop.yaml'));
    expect(buildHazards(root, 'o', 1024).map((h) => `${h.ref}: ${h.reason}`)).toEqual([
      'zero.yaml: a symlink that leads outside the repository',
      'out.yaml: a symlink that leads outside the repository',
      'loop.yaml: a symlink that resolves nowhere (dangling or a loop)',
      'big.yaml: 2048 bytes, larger than any manifest',
    ]);
  });
});

describe('a tree reader', () => {
  const files = {
    'base/kustomization.yaml': 'resources: [deploy.yaml, ../common/]\n',
    'base/deploy.yaml': 'kind: Deployment\n',
    'common/kustomization.yaml': 'resources: [cm.yaml]\n',
    'common/cm.yaml': 'kind: ConfigMap\n',
    'o1/kustomization.yaml': 'resources: [../base, own.yaml, gone.yaml]\n',
    'o1/own.yaml': 'a: 1\n',
    'o2/kustomization.yaml': 'resources: [../base, own.yaml, gone.yaml]\n',
    'o2/own.yaml': 'a: 2\n',
  };
  /** A repository at `top` with everything in it committed. */
  const commitAll = (top: string) => {
    const git = (...args: string[]) => execFileSync('git', ['-C', top, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'tree');
  };

  it('answers as the disk does, and never reads what git vouches for', async () => {
    const root = tree(files);
    commitAll(root);
    const plain = new TreeReader(root);
    const known = new TreeReader(root, knownFiles(await gitView(root), root));
    for (const dir of ['o1', 'o2/', './o1', 'base']) {
      expect(known.inputs(dir)).toEqual(plain.inputs(dir));
      expect(known.buildKey(dir, 'x')).toBe(plain.buildKey(dir, 'x'));
    }
    expect(plain.inputs('o1')).toEqual([
      'o1/kustomization.yaml',
      'base/kustomization.yaml',
      'base/deploy.yaml',
      'common/kustomization.yaml',
      'common/cm.yaml',
      'o1/own.yaml',
      'o1/gone.yaml#missing',
    ]);
    // The view was taken before this edit: a reader that read the file would see it.
    const view = await gitView(root);
    writeFileSync(join(root, 'common/cm.yaml'), 'kind: Secret\n\n');
    expect(new TreeReader(root, knownFiles(view, root)).buildKey('o1', 'x')).toBe(plain.buildKey('o1', 'x'));
    expect(new TreeReader(root).buildKey('o1', 'x')).not.toBe(plain.buildKey('o1', 'x'));
  });

  it('reads a tree that is a folder of its repository by its own paths', async () => {
    const top = tempDir();
    const root = tree(files, join(top, 'deploy'));
    commitAll(top);
    // The source root is the repository's top; the view's paths are the folder's own.
    const known = new TreeReader(top, knownFiles(await gitView(root), root, top));
    expect(known.inputs('deploy/o2')).toEqual(new TreeReader(top).inputs('deploy/o2'));
    expect(known.buildKey('deploy/o2', '')).toBe(new TreeReader(top).buildKey('deploy/o2', ''));
  });

  it('reports a hazard reached by two paths once', () => {
    const root = tree({
      'o/kustomization.yaml': 'resources: [../a, ../b]\n',
      'a/kustomization.yaml': 'resources: [../c]\n',
      'b/kustomization.yaml': 'resources: [../c]\n',
      'c/kustomization.yaml': 'resources: [https://example.com/x.yaml]\n',
    });
    expect(buildHazards(root, 'o', 1 << 20).map((h) => `${h.file}: ${h.ref}`)).toEqual(['c/kustomization.yaml: https://example.com/x.yaml']);
  });
});

describe('tree paths', () => {
  const segment = fc.constantFrom('a', 'b', 'base', 'overlays', '..', '.', 'c-1');
  const path = fc.oneof(
    fc.constant('.'),
    fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/')),
  );
  // Empty segments too: doubled, leading and trailing slashes.
  const slashy = fc.array(fc.constantFrom('a', 'b', '..', '.', '', 'c-1'), { minLength: 1, maxLength: 6 }).map((s) => s.join('/'));
  it('normalizes as posix.normalize does, without a trailing slash', () => {
    fc.assert(
      fc.property(fc.oneof(path, slashy), (p) => treePath(p) === posix.normalize(p).replace(/(.)\/+$/, '$1')),
      { numRuns: 3000 },
    );
  });

  it('joins as treePath(posix.join(dir, path)) does, for a tree path dir and any path', () => {
    fc.assert(
      fc.property(fc.oneof(path, slashy).map(treePath), fc.oneof(path, slashy), (dir, p) => joinTree(dir, p) === treePath(posix.join(dir, p))),
      { numRuns: 5000 },
    );
    for (const [dir, p] of [
      ['manifests/a/overlays/c1', '../../base'],
      ['o', '../../..'],
      ['..', '../x'],
      ['../a', '../../b'],
      ['.', 'kustomization.yaml'],
      ['a', '../'],
      ['a', 'b/'],
    ])
      expect(joinTree(dir!, p!)).toBe(treePath(posix.join(dir!, p!)));
  });

  it('is posix.relative for tree paths, normalized or not', () => {
    fc.assert(
      fc.property(fc.oneof(path, slashy), fc.oneof(path, slashy), (from, to) => relativeTo(from, to) === posix.relative(from, to)),
      { numRuns: 5000 },
    );
    for (const [from, to] of [
      ['manifests/a/overlays/c1', 'manifests/a/base/k.yaml'],
      ['o', 'o'],
      ['.', 'x/y'],
      ['x/y', '.'],
      ['../up', 'down'],
      ['a//b', 'a/c'],
      ['a/', 'a/b'],
    ])
      expect(relativeTo(from!, to!)).toBe(posix.relative(from!, to!));
  });
});
