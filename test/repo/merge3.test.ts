/**
 * The three-way merge of hand edits, one folder per case in the style of kpt's merge3 test data:
 * base (last generated), ours (edited by hand), theirs (new render) -> expected, or the conflicts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { mergeFile } from '../../src/repo/merge.js';

const dir = join(__dirname, 'merge3');
const read = (c: string, f: string) => readFileSync(join(dir, c, f), 'utf8');
const objects = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

describe('merge3 fixtures', () => {
  it.each(readdirSync(dir).sort())('%s', (c) => {
    const r = mergeFile('x.yaml', read(c, 'base.yaml'), read(c, 'ours.yaml'), read(c, 'theirs.yaml'));
    if (existsSync(join(dir, c, 'conflicts.txt'))) {
      expect(r.conflicts.map((x) => `${x.resource} ${x.path}`)).toEqual(read(c, 'conflicts.txt').trim().split('\n'));
      return;
    }
    expect(r.conflicts).toEqual([]);
    expect(objects(r.text)).toEqual(objects(read(c, 'expected.yaml')));
    // The user's comments survive the merge.
    for (const comment of read(c, 'ours.yaml').match(/#.*$/gm) ?? []) expect(r.text).toContain(comment);
  });
});
