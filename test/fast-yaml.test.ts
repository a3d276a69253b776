/** The position-free reader gives the data `yaml` gives, scalar for scalar. */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadDocument, loadDocuments, loadLocatedDocuments, loadOutput } from '../src/fast-yaml.js';
import { examplesDir } from '../src/toolkit.js';
import { parseFleet } from '../src/model/load.js';
import { renderRepo } from '../src/render/index.js';

/** `yaml` as the model loader calls it; `undefined` when it refuses the text. */
function slow(text: string): unknown {
  const docs = parseAllDocuments(text, { uniqueKeys: true, strict: true });
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0]!.errors.length) return undefined;
  return docs[0]!.toJS({ maxAliasCount: 1000 });
}

/** The fast reader's data, or `slow`'s when it refuses the text: the model loader then takes the located path. */
function fastOrSlow(text: string): unknown {
  try {
    return loadDocument(text);
  } catch {
    return slow(text);
  }
}

const SCALARS = [
  ...['1', '-1', '+12', '017', '0o17', '0x1F', '0X1F', '0b101', '1_000', '0o8', '0xG', '-0x1', '+0o7'],
  ...['.5', '+.5', '-.5', '1.', '1.0', '1e3', '1E-3', '+1e+3', '.1e1', '1.5e', 'e3', '.', '-'],
  ...['.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', '-.nan', 'inf', 'nan'],
  ...['~', 'null', 'Null', 'NULL', 'nULL', '', 'true', 'True', 'TRUE', 'tRUE', 'false', 'yes', 'no', 'on', 'off', 'y', 'n'],
  ...['2001-12-14', '2001-12-14t21:59:43.10-05:00', '12:30', '1:20:30', '0:0', '!!str 1', '"1"', "'true'", '1.12.0', 'v1.12'],
];

describe('the fast YAML reader', () => {
  it.each(SCALARS)('resolves %j as `yaml` does', (s) => {
    const text = `a: ${s}\n`;
    expect(fastOrSlow(text)).toEqual(slow(text));
  });

  it('resolves any short scalar of number-like characters as `yaml` does', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789+-.eEoxXabfinINF_'), maxLength: 8 }), (s) => {
        const text = `a: ${s}\n`;
        const expected = slow(text);
        if (expected !== undefined) expect(fastOrSlow(text)).toEqual(expected);
        // What `yaml` refuses, the fast reader must refuse too: no model may pass on one path only.
        else expect(() => loadDocument(text)).toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every example model exactly as `yaml` does', () => {
    for (const ex of readdirSync(examplesDir)) {
      const text = readFileSync(join(examplesDir, ex, 'calisti.yaml'), 'utf8');
      expect(loadDocument(text)).toEqual(parse(text));
    }
  });

  it('reads tool output as `yaml` does without unique keys: the last value of a repeated key wins', () => {
    const text = 'a: 1\na: 2\nb: [x, 0x10]\n---\nc: ~\n';
    expect(loadOutput(text)).toEqual(parseAllDocuments(text, { uniqueKeys: false }).map((d) => d.toJS()));
  });

  it('refuses a duplicate key, as the model loader does', () => {
    expect(() => loadDocument('a: 1\na: 2\n')).toThrow(/duplicated mapping key/);
  });

  it('applies merge keys in Kubernetes-style documents; no timestamps', () => {
    expect(loadDocuments('a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\nd: 2024-01-01\ne: yes\nf: 0o17\n---\ng: ~\n')).toEqual([
      { a: { k: 1 }, b: { k: 1, j: 2 }, d: '2024-01-01', e: 'yes', f: 15 },
      { g: null },
    ]);
  });

  it('throws with a position on a syntax error', () => {
    expect(() => loadDocuments('a: [1,\n')).toThrow(/\(2:1\)/);
  });
});

describe('the fast located reader', () => {
  /** What `yaml` gives: each document's data and the line its content starts on (documents that are maps, as readers keep them). */
  const located = (text: string) => {
    const lines = new LineCounter();
    return parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true })
      .map((d) => ({ data: d.toJS() as unknown, line: lines.linePos(d.contents?.range[0] ?? 0).line }))
      .filter((d) => isMap(d.data));
  };
  const fastMaps = (text: string) => loadLocatedDocuments(text)?.filter((d) => isMap(d.data));
  const isMap = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const TEXTS = [
    'a: 1\n',
    '---\na: 1\n',
    '# head\n\n---\n# about b\nb: 2\n---\n\n  # indented comment\nc: [1, 2]\n---\n',
    'a: 1\n---\n---\nb: 2\n',
    'list:\n  - x: 1\n    y: two\n---\n- 1\n- 2\n',
    'text: |\n  line one\n  line two\nafter: 3\n',
    '',
    '# only a comment\n',
    'a: 1\n...\n',
    'a: 1\n--- b: 2\n',
    'a: &x 1\nb: *x\n',
    'a: 1\r\nb: 2\r\n',
    'a: 1\na: 2\n',
    'a: [1\n',
  ];

  it.each(TEXTS)('gives %j what `yaml` gives, or leaves it to `yaml`', (text) => {
    const fast = fastMaps(text);
    if (fast !== undefined) expect(fast).toEqual(located(text));
  });

  it('takes the common shapes itself and leaves anchors, markers with content, CRLF and bad documents to `yaml`', () => {
    expect(TEXTS.slice(0, 8).every((t) => loadLocatedDocuments(t) !== undefined)).toBe(true);
    expect(TEXTS.slice(8).map((t) => loadLocatedDocuments(t))).toEqual(TEXTS.slice(8).map(() => undefined));
  });

  it('gives every file generated for the examples what `yaml` gives, and reads most of them itself', () => {
    let files = 0;
    let fastOnes = 0;
    for (const example of readdirSync(examplesDir)) {
      const fleet = parseFleet(readFileSync(join(examplesDir, example, 'calisti.yaml'), 'utf8'));
      for (const [path, f] of renderRepo(fleet)) {
        if (!/\.ya?ml$/.test(path)) continue;
        const fast = fastMaps(f.content);
        if (fast) {
          expect(fast, path).toEqual(located(f.content));
          fastOnes++;
        }
        files++;
      }
    }
    expect(fastOnes).toBeGreaterThan(files * 0.8);
  });
});
