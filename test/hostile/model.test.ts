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
import { MAX_CLUSTER_NAME } from '../../src/model/schema.js';
import { renderRepo } from '../../src/render/index.js';
import { toolkitRoot } from '../../src/toolkit.js';
import { parseYamlDocs } from '../helpers.js';

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

  it('keeps every generated Application name a label value (63) at the longest cluster name the model accepts', () => {
    const longest = 'c'.repeat(MAX_CLUSTER_NAME);
    const text = stringify({
      apiVersion: 'calisti-gitops.io/v1alpha1',
      kind: 'Fleet',
      calisti: { version: '1.12.0' },
      git: { repoURL: 'https://git.example.com/fleet.git' },
      clusters: [{ name: longest }],
      demoApp: { placement: [{ cluster: longest, components: ['frontpage'] }] },
    });
    const names = [...renderRepo(parseFleet(text))]
      .filter(([p]) => p.endsWith('app-set.yaml'))
      .flatMap(([, f]) => parseYamlDocs(f.content))
      .map((set) => String(set.spec.template.metadata.name).replace('{{cluster}}', longest));
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const n of names) expect(n.length, n).toBeLessThanOrEqual(63);
    expect(Math.max(...names.map((n) => n.length))).toBe(63);
  });
});
