/**
 * The plaintext Secret forms of test/hostile/secrets against the one detector and every command that
 * uses it: generate and seal refuse them, validate reports each, diff never prints a value.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { redactSecrets } from '../../src/diff/files.js';
import { leaksInText } from '../../src/secrets/detect.js';
import { plaintextSecrets } from '../../src/secrets/leak.js';
import { git } from '../../src/repo/git.js';
import { cli, conformance, snapshot, tempDir } from '../helpers.js';

const CORPUS = resolve(import.meta.dirname, '../hostile/secrets');
const FORMS = readdirSync(CORPUS)
  .filter((f) => f !== 'README.md')
  .sort();
const CERT = conformance('sealed-secrets', 'cert.pem');

/** The corpus files that hold the value in a form diff can show (generator env files are not manifests). */
function manifests(dir = CORPUS, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? manifests(join(dir, e.name), `${prefix}${e.name}/`) : /\.(ya?ml|json)$/.test(e.name) ? [`${prefix}${e.name}`] : [],
  );
}

async function repoWithCorpus(): Promise<string> {
  const dir = join(tempDir(), 'repo');
  expect((await cli('init', dir)).code).toBe(0);
  cpSync(CORPUS, join(dir, 'extra'), { recursive: true });
  return dir;
}

describe('the secret detector', () => {
  it('finds every plaintext form of the hostile corpus', () => {
    const found = plaintextSecrets(CORPUS).map((f) => f.split(/[/ ]/)[0]);
    expect(
      FORMS.every((f) => found.includes(f)),
      `missed: ${FORMS.filter((f) => !found.includes(f)).join(', ')}`,
    ).toBe(true);
  });

  it.each([
    [
      'a generated placeholder',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: p\n  annotations:\n    calisti-gitops.io/placeholder: x\nstringData:\n  .dockerconfigjson: \'{"auths":{}}\'\n',
    ],
    [
      'a chart repository placeholder',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: p\n  annotations:\n    calisti-gitops.io/placeholder: x\nstringData:\n  name: c\n  type: helm\n  url: oci://r\n  enableOCI: "true"\n',
    ],
    ['a Secret with empty values', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: e\ndata:\n  password: ""\n'],
    ['a ConfigMap with a password key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  password: visible\n'],
    ['a SealedSecret', 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\nspec:\n  encryptedData:\n    password: AgB0\n'],
  ])('accepts %s', (_, text) => {
    expect(leaksInText('x.yaml', text)).toEqual([]);
  });
});

describe('diff redaction', () => {
  it.each(manifests())('never shows the value of %s', (file) => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    expect(redactSecrets(file, text)).not.toMatch(/leak-\d/);
  });

  it('hides a manifest that does not parse', () => {
    expect(redactSecrets('x.yaml', 'kind: Secret\nstringData: {password: leak-x\n')).not.toContain('leak-x');
  });
});

describe('commands against the corpus', () => {
  it('generate refuses every form, names each file, prints no value and writes nothing', async () => {
    const dir = await repoWithCorpus();
    const head = (await git(dir).raw(['rev-parse', 'HEAD'])).trim();
    const before = snapshot(dir);
    const g = await cli('generate', '-C', dir);
    expect(g.code).toBe(1);
    for (const f of FORMS) expect(g.stderr).toContain(`extra/${f}`);
    expect(g.stderr).not.toMatch(/leak-\d/);
    expect(snapshot(dir)).toEqual(before);
    expect((await git(dir).raw(['rev-parse', 'HEAD'])).trim()).toBe(head);
  });

  it.skipIf(!existsSync(CERT))('seal refuses every form and prints no value', async () => {
    const dir = await repoWithCorpus();
    let out = '';
    const code = await run(
      ['seal', '--cert', CERT, '-C', dir],
      { out: (s) => (out += s), err: (s) => (out += s) },
      { CALISTI_USERNAME: 'u', CALISTI_PASSWORD: 'p4ss-word' },
    );
    expect(code).toBe(1);
    for (const f of FORMS) expect(out).toContain(`extra/${f}`);
    expect(out).not.toMatch(/leak-\d/);
  });

  it('validate reports every form as secret/plaintext and prints no value', async () => {
    const dir = await repoWithCorpus();
    const v = await cli('validate', '-C', dir, '-o', 'json', '--no-cache');
    expect(v.code).toBe(1);
    const files = JSON.parse(v.stdout)
      .findings.filter((f: { rule: string }) => f.rule === 'secret/plaintext')
      .map((f: { file: string }) => f.file);
    for (const f of FORMS)
      expect(
        files.some((x: string) => x.startsWith(`extra/${f}`)),
        f,
      ).toBe(true);
    expect(v.stdout + v.stderr).not.toMatch(/leak-\d/);
  });

  it('generate refuses a password put by hand into a generated file', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const f = join(dir, 'manifests/smm-operator/overlays/workload-cluster-2/registry-pull-secret.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('{"auths":{}}', '{"auths":{"r":{"auth":"bGVhay1oYW5k"}}}'));
    const g = await cli('generate', '-C', dir);
    expect(g.code).toBe(1);
    expect(g.stderr).toContain('registry-pull-secret.yaml');
    expect(g.stderr).not.toContain('bGVhay1oYW5k');
    expect(await git(dir).raw(['log', '-p', '--all'])).not.toContain('bGVhay1oYW5k');
  });

  it('generate refuses a Secret padded past the parse limit instead of skipping it', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const padding = `# ${'x'.repeat(1000)}\n`.repeat(5 * 1024);
    writeFileSync(join(dir, 'padded.yaml'), `${padding}apiVersion: v1\nkind: Secret\nmetadata:\n  name: p\nstringData:\n  password: leak-pad-1\n`);
    const g = await cli('generate', '-C', dir);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/padded\.yaml.*cannot be checked/);
    expect(g.stderr).not.toContain('leak-pad-1');
  });

  it('diff -o markdown shows a hand-put Secret in a generated file as changed, never its value', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const f = join(dir, 'manifests/smm-operator/overlays/workload-cluster-2/registry-pull-secret.yaml');
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { password: 'leak-md-1' } }],
    };
    writeFileSync(f, JSON.stringify(list));
    const r = await cli('diff', '-C', dir, '-o', 'markdown');
    expect(r.stdout).not.toContain('leak-md-1');
  });
});

describe('the detector reads every document', () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2-in-clear\n';
  it.each([
    ['after a broken one', `a: [1,\n---\n${secret}`],
    ['after a duplicate key', `a: 1\na: 2\n---\n${secret}`],
    ['with anchors', `base: &b {x: 1}\n---\n${secret}`],
    ['plain', secret],
  ])('finds a Secret in clear %s', (_, text) => {
    expect(leaksInText('f.yaml', text)).toEqual([{ what: 'Secret/s', keys: ['password'] }]);
  });
});
