import { describe, expect, it } from 'vitest';
import {
  blueprintFor,
  blueprints,
  compareVersions,
  defaultIstio,
  inferredValues,
  knownVersions,
  blueprintDigest,
  loadBlueprints,
  parseBlueprint,
  revisionLabel,
  revisionName,
  type Blueprint,
} from '../../src/model/blueprint.js';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blueprintsDir } from '../../src/toolkit.js';
import { calistiDocs, describeWithDocs, tempDir } from '../helpers.js';

describe('release blueprints', () => {
  it("cover the docs' version matrix, oldest first", () => {
    expect(knownVersions()).toEqual(['1.9.1', '1.10.0', '1.11.0', '1.12.0']);
  });

  it("derive the docs' revision names and labels", () => {
    expect(revisionName('1.15.3')).toBe('cp-v115x');
    expect(revisionName('1.13.5')).toBe('cp-v113x');
    expect(revisionLabel('cp-v115x', 'istio-system')).toBe('cp-v115x.istio-system');
  });

  it('install the Istio the docs name for each release', () => {
    const istio = Object.fromEntries([...blueprints()].map(([v, bp]) => [v, revisionName(defaultIstio(bp).version)]));
    expect(istio).toEqual({ '1.9.1': 'cp-v112x', '1.10.0': 'cp-v113x', '1.11.0': 'cp-v115x', '1.12.0': 'cp-v115x' });
  });

  it('keep the previous default Istio runnable, so an upgrade can run both side by side', () => {
    const list = [...blueprints().values()];
    for (let i = 1; i < list.length; i++) {
      const prev = defaultIstio(list[i - 1]!).version;
      expect(
        list[i]!.istio.versions.map((v) => v.version),
        list[i]!.calisti,
      ).toContain(prev);
    }
  });

  it('compare versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.1')).toBeGreaterThan(0);
    expect(compareVersions('1.12.0', '1.12.0')).toBe(0);
  });
});

/** Every field path of a blueprint's values (provenance aside), as the loader names them. */
function leafPaths(node: unknown, at = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => leafPaths(n, `${at}[${i}]`));
  if (node !== null && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => leafPaths(v, at ? `${at}.${k}` : k));
  return [at];
}
const values = (bp: Blueprint) => Object.fromEntries(Object.entries(bp).filter(([k]) => k !== 'provenance'));

describe('blueprint provenance', () => {
  it('names a source for every value', () => {
    for (const bp of blueprints().values()) expect(Object.keys(bp.provenance).sort(), bp.calisti).toEqual(leafPaths(values(bp)).sort());
  });

  it('uses the documented Istio images of 1.12.0 (docs 2.3.10 image table), pilot -bzc.1 included', () => {
    const bp = blueprintFor('1.12.0');
    expect(defaultIstio(bp).images.pilot).toBe('istio-pilot:v1.15.3-bzc.1');
    expect(bp.provenance['istio.versions[0].images.pilot']).toBe('docs 2.3.10');
  });

  it('marks every guessed value as inferred, and says from what', () => {
    const guessed = inferredValues(blueprintFor('1.12.0')).map((v) => v.path);
    expect(guessed).toEqual([
      'chart.operatorImage',
      'istio.versions[1].images.pilot',
      'istio.versions[1].images.proxy',
      'istio.versions[1].images.installCni',
      'istio.versions[1].images.sidecarInjector',
    ]);
    expect(inferredValues(blueprintFor('1.11.0')).find((v) => v.path === 'chart.version')).toMatchObject({
      value: '1.11.0',
      source: expect.stringMatching(/^inferred: \S/),
    });
  });
});

describeWithDocs('blueprint sources against the Calisti docs', () => {
  const lines = calistiDocs.split('\n');
  /** The text of a docs section: its heading up to the next heading outside it. */
  const section = (n: string): string => {
    const start = lines.findIndex((l) => l.startsWith(`${n} - `));
    if (start < 0) return '';
    const end = lines.findIndex((l, i) => i > start && /^\d+(\.\d+)* - /.test(l) && !l.startsWith(`${n}.`));
    return lines.slice(start, end < 0 ? undefined : end).join('\n');
  };

  it('cite sections that exist, and the value is printed there', () => {
    for (const bp of blueprints().values()) {
      for (const [path, source] of Object.entries(bp.provenance)) {
        if (!source.startsWith('docs ')) continue;
        const text = section(source.slice('docs '.length));
        expect(text, `${bp.calisti} ${path}: ${source}`).not.toBe('');
        const value = leafValue(bp, path);
        // An image is name:tag; the docs print both on one line (a manifest or the image table).
        const [name, tag] = value.includes(':') && !value.includes('/') ? value.split(':') : [value, undefined];
        const found = tag ? text.split('\n').some((l) => l.includes(name!) && l.includes(tag)) : text.includes(value.replace(/^v(?=\d)/, ''));
        expect(found, `${bp.calisti} ${path} = ${value} not in docs ${source}`).toBe(true);
      }
    }
  });
});

function leafValue(bp: Blueprint, path: string): string {
  let cur: unknown = bp;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) cur = (cur as Record<string, unknown>)[m[2] ?? m[1]!];
  return String(cur);
}

describe('blueprints parsed ahead of time (the bundle embeds them)', () => {
  const copy = () => {
    const dir = tempDir();
    for (const f of readdirSync(blueprintsDir)) copyFileSync(join(blueprintsDir, f), join(dir, f));
    return dir;
  };
  const embed = (dir: string) =>
    Object.fromEntries(
      readdirSync(dir).map((f) => {
        const text = readFileSync(join(dir, f), 'utf8');
        return [f, { digest: blueprintDigest(text), blueprint: parseBlueprint(f, text) }];
      }),
    );

  it('are taken as embedded while the bytes are the same', () => {
    const dir = copy();
    const embedded = embed(dir);
    const loaded = loadBlueprints(dir, embedded);
    expect([...loaded.keys()]).toEqual(knownVersions());
    expect(loaded.get('1.12.0')).toBe(embedded['1.12.0.yaml']!.blueprint);
    expect(loadBlueprints(dir, {})).toEqual(loaded);
  });

  it('are read again from a file edited or added since', () => {
    const dir = copy();
    const embedded = embed(dir);
    const file = join(dir, '1.12.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(demoApp:\s*\n\s*version:\s*\{\s*value:\s*)"?[^",}]+"?/, '$1"9.9.9"'));
    const text = readFileSync(file, 'utf8').replace(/1\.12\.0/g, '1.13.0');
    writeFileSync(join(dir, '1.13.0.yaml'), text);
    const loaded = loadBlueprints(dir, embedded);
    expect(loaded.get('1.12.0')!.demoApp.version).toBe('9.9.9');
    expect(loaded.get('1.12.0')).not.toBe(embedded['1.12.0.yaml']!.blueprint);
    expect([...loaded.keys()].at(-1)).toBe('1.13.0');
  });
});
