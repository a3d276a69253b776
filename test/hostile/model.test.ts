/**
 * The hostile model corpus: each file under test/hostile/model/ is a calisti.yaml a pull request
 * could carry. Its first line names the field that must be refused and part of the message
 * (`# expect: <path>: <text>`); the model must refuse it there, with a line and column.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ModelError } from '../../src/errors.js';
import { parseFleet } from '../../src/model/load.js';
import { toolkitRoot } from '../../src/toolkit.js';

const corpus = join(toolkitRoot, 'test', 'hostile', 'model');
const files = readdirSync(corpus)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('hostile models', () => {
  it('has a corpus', () => expect(files.length).toBeGreaterThanOrEqual(10));

  it.each(files)('%s is refused at the field it attacks', (file) => {
    const text = readFileSync(join(corpus, file), 'utf8');
    const expectation = /^# expect: (.+): (.+)$/m.exec(text);
    expect(expectation, 'first line: # expect: <path>: <text>').not.toBeNull();
    const [, path, message] = expectation!;
    let error: unknown;
    try {
      parseFleet(text, file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    const problem = (error as ModelError).problems.find((p) => p.path === path);
    expect(problem, JSON.stringify((error as ModelError).problems)).toBeDefined();
    expect(problem!.message).toContain(message);
    expect(problem!.line).toBeGreaterThan(1);
  });

  it('accepts a 63-character cluster name (an RFC 1123 label) and refuses a 64-character one', () => {
    const model = (name: string) =>
      stringify({
        apiVersion: 'calisti-gitops.io/v1alpha1',
        kind: 'Fleet',
        calisti: { version: '1.12.0' },
        git: { repoURL: 'https://git.example.com/fleet.git' },
        clusters: [{ name }],
      });
    expect(parseFleet(model('c'.repeat(63))).clusters[0]!.name).toHaveLength(63);
    expect(() => parseFleet(model('c'.repeat(64)))).toThrow(/at most 63 characters/);
  });
});
