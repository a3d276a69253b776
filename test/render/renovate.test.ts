/**
 * The Renovate configuration the repo carries: the preset's regex reads the comment init writes,
 * the allowed range is one supported step, and a user's own Renovate config is never written over.
 * (`npm run check:renovate` runs the real Renovate on a generated repo; this is the fast part.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blueprintFor } from '../../src/model/blueprint.js';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { isGeneratedPath, RENOVATE_CONFIG } from '../../src/render/layout.js';
import { RENOVATE_CONFIG_FILES, RENOVATE_PRESET, renovateComment, repoPath, withRenovateComment } from '../../src/render/renovate.js';
import { planGenerate } from '../../src/repo/plan.js';
import { blobId } from '../../src/repo/state.js';
import { examplesDir } from '../../src/toolkit.js';

const example = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8');
const ctx = { blueprint: blueprintFor('1.12.0') };
type Preset = { customManagers: { matchStrings: string[] }[]; packageRules: { matchFileNames: string[]; enabled?: boolean; allowedVersions?: string }[] };
const presetOf = (model: string) => JSON.parse(renderRepo(parseFleet(model)).get(RENOVATE_PRESET)!.content) as Preset;

describe('the # renovate: comment on calisti.version', () => {
  it('is inserted once, above the version line, leaving every other byte as it was', () => {
    const marked = withRenovateComment(example, ctx);
    expect(marked.replace(`  # ${renovateComment(ctx)}\n`, '')).toBe(example);
    expect(marked).toMatch(
      /^calisti:\n {2}# renovate: datasource=docker depName=calisti packageName=registry\.eticloud\.io\/smm-charts\/smm-operator versioning=semver\n {2}version: 1\.12\.0$/m,
    );
    expect(withRenovateComment(marked, ctx)).toBe(marked);
  });

  it.each([
    ['the block is last', 'git:\n  repoURL: x\ncalisti:\n  version: 1.12.0'],
    ['comments and blank lines sit inside it', 'calisti:   # the release\n\n  # pinned\n  chart: oci\n  version: 1.12.0\nclusters: []\n'],
    ['it is deeper', 'calisti:\n    chart: oci\n    version: 1.12.0\n# end\nclusters:\n- name: a\n  version: 9\n'],
    ['it is quoted', '"calisti":\n  version: 1.12.0\n'],
  ])('finds the version line when %s', (_, text) => {
    const marked = withRenovateComment(text, ctx);
    expect(marked.replace(/^ *# renovate: .*\n/m, '')).toBe(text);
    expect(marked).toMatch(/# renovate: .*\n +version: 1\.12\.0/);
  });

  it.each([
    ['a flow map has no line for it', 'calisti: { version: 1.12.0 }\n'],
    ['no calisti block', 'kind: Fleet\n'],
  ])('leaves the model alone when %s', (_, text) => expect(withRenovateComment(text, ctx)).toBe(text));

  it("is what the preset's regex manager reads: datasource, package, version (quoted or with a trailing comment)", () => {
    const re = new RegExp(presetOf(example).customManagers[0]!.matchStrings[0]!);
    for (const line of ['version: 1.12.0', 'version: "1.12.0"', 'version: 1.12.0   # one of blueprints/*.yaml']) {
      const m = re.exec(withRenovateComment(example.replace('version: 1.12.0', line), ctx));
      expect(m?.groups).toMatchObject({
        datasource: 'docker',
        depName: 'calisti',
        packageName: 'registry.eticloud.io/smm-charts/smm-operator',
        versioning: 'semver',
        currentValue: '1.12.0',
      });
    }
  });
});

describe('the preset', () => {
  it.each([
    ['1.10.0', '<1.12.0'],
    ['1.11.0', '<1.13.0'],
    ['1.12.0', '<1.14.0'],
  ])('at Calisti %s allows only one supported step (%s): a patch, or the next minor', (version, range) => {
    const rules = presetOf(example.replace('version: 1.12.0', `version: ${version}`)).packageRules;
    expect(rules.find((r) => r.allowedVersions)?.allowedVersions).toBe(range);
  });

  it('switches Renovate off for every generated file, and the vendored chart', () => {
    const model = example.replace('calisti:\n', 'calisti:\n  chart: vendored\n');
    const tree = renderRepo(parseFleet(model));
    const off = presetOf(model).packageRules.find((r) => r.enabled === false)!.matchFileNames;
    const glob = (g: string) => new RegExp(`^${g.replace(/[.]/g, '\\.').replace(/\*\*/g, '.*')}$`);
    const covered = (p: string) => off.some((g) => glob(g).test(p));
    const versioned = [...tree.keys()].filter(
      (p) => p.startsWith('apps/') || p.startsWith('manifests/') || p.startsWith('components/') || p.startsWith('bootstrap/') || p.startsWith('.github/'),
    );
    expect(versioned.filter((p) => !covered(p))).toEqual([]);
    expect(covered('charts/smm-operator/values.yaml')).toBe(true);
    expect(covered('calisti.yaml')).toBe(false);
  });

  it.each([
    ['https://github.com/github-id/calisti-gitops.git', 'github-id/calisti-gitops'],
    ['https://gitlab.example.org/group/sub/fleet', 'group/sub/fleet'],
    ['ssh://git@example.org:2222/team/fleet.git', 'team/fleet'],
    ['git@github.com:team/fleet.git', 'team/fleet'],
  ])('names the repo %s as %s for the local> preset', (url, path) => expect(repoPath(url)).toBe(path));
});

describe('renovate.json', () => {
  const rendered = renderRepo(parseFleet(example));
  const plan = (files: Record<string, string>, previous: Record<string, string> = {}) =>
    planGenerate({ rendered, previous: { files: previous }, read: (p) => files[p], force: false });
  const ours = rendered.get(RENOVATE_CONFIG)!.content;

  it('extends the preset in .calisti-gitops when the repo has no Renovate config', () => {
    expect(JSON.parse(ours)).toEqual({
      $schema: 'https://docs.renovatebot.com/renovate-schema.json',
      extends: ['config:recommended', `local>github-id/calisti-gitops//${RENOVATE_PRESET}`],
    });
    const p = plan({});
    expect(p.writes.map((w) => w.path)).toContain(RENOVATE_CONFIG);
    expect(isGeneratedPath(RENOVATE_CONFIG)).toBe(true);
    expect(isGeneratedPath(RENOVATE_PRESET)).toBe(true);
  });

  it.each(RENOVATE_CONFIG_FILES)('is neither written nor tracked when the user has %s', (file) => {
    const p = plan({ [file]: '{ "extends": ["config:recommended"] }\n' });
    expect(p.writes.map((w) => w.path)).not.toContain(RENOVATE_CONFIG);
    expect(p.conflicts).toEqual([]);
    const state = JSON.parse(p.writes.find((w) => w.path === '.calisti-gitops/generated.json')!.content) as { files: Record<string, string> };
    expect(Object.keys(state.files)).not.toContain(RENOVATE_CONFIG);
    expect(Object.keys(state.files)).toContain(RENOVATE_PRESET);
  });

  it('written earlier, is deleted when the user adds a config of their own (Renovate would read ours first)', () => {
    const previous = Object.fromEntries([...rendered].map(([p, f]) => [p, blobId(f.content)]));
    const files = { ...Object.fromEntries([...rendered].map(([p, f]) => [p, f.content])), '.github/renovate.json': '{}\n' };
    const p = plan(files, previous);
    expect(p.deletes).toEqual([RENOVATE_CONFIG]);
    expect(p.writes.map((w) => w.path)).toEqual(['.calisti-gitops/generated.json']);
    // Edited by hand, it is not deleted silently.
    expect(plan({ ...files, [RENOVATE_CONFIG]: '{ "extends": [] }\n' }, previous).conflicts).toEqual([{ path: RENOVATE_CONFIG, reason: 'edited' }]);
  });
});
