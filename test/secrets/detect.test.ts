/**
 * The plaintext Secret forms of test/hostile/secrets against the one detector and every command that
 * uses it: generate and seal refuse them, validate reports each, diff never prints a value.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { redactSecrets } from '../../src/diff/files.js';
import { parseDocuments, secretValues } from '../../src/secrets/detect.js';
import { leaksIn, plaintextSecrets } from '../../src/secrets/leak.js';
import { git } from '../../src/repo/git.js';
import { cli, conformance, snapshot, tempDir } from '../helpers.js';

const CORPUS = resolve(import.meta.dirname, '../hostile/secrets');
const FORMS = readdirSync(CORPUS).filter((f) => f !== 'README.md').sort();
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
    const found = plaintextSecrets(CORPUS).map((l) => l.file.split('/')[0]);
    expect(FORMS.every((f) => found.includes(f)), `missed: ${FORMS.filter((f) => !found.includes(f)).join(', ')}`).toBe(true);
    for (const l of plaintextSecrets(CORPUS)) expect(l.what.join(' ')).not.toMatch(/leak-/);
  });

  it.each([
    ['a generated placeholder', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: p\n  annotations:\n    calisti-gitops.io/placeholder: x\nstringData:\n  .dockerconfigjson: \'{"auths":{}}\'\n'],
    ['a chart repository placeholder', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: p\n  annotations:\n    calisti-gitops.io/placeholder: x\nstringData:\n  name: c\n  type: helm\n  url: oci://r\n  enableOCI: "true"\n'],
    ['a Secret with empty values', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: e\ndata:\n  password: ""\n'],
    ['a Helm template value', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\nstringData:\n  password: "{{ .Values.password }}"\n'],
    ['a ConfigMap with a password key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  password: visible\n'],
    ['a SealedSecret', 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\nspec:\n  encryptedData:\n    password: AgB0\n'],
  ])('accepts %s', (_, text) => {
    expect(leaksIn(text)).toEqual([]);
  });

  it('refuses a file over the parse limit instead of parsing it for a minute', () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${'  k: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n'.repeat(200_000)}`;
    const t0 = Date.now();
    expect(parseDocuments(big).ok).toBe(false);
    expect(leaksIn(big)[0]).toMatch(/not checked: larger than/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('diff redaction', () => {
  it.each(manifests())('never shows the value of %s', (file) => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    expect(parseDocuments(text).ok).toBe(true);
    const changed = text.replace(/leak-(\d+)/g, 'leak-$1-new');
    for (const out of [redactSecrets(file, text), redactSecrets(file, text, changed), redactSecrets(file, changed, text)]) expect(out).not.toMatch(/leak-\d/);
    // Base64 values and generator file names carry no marker to change.
    if (/leak-\d/.test(text)) expect(redactSecrets(file, changed, text)).toMatch(/<redacted: changed>/);
    expect(redactSecrets(file, text, text)).not.toMatch(/<redacted: changed>/);
  });

  it('prints no digest of a value, only changed or unchanged', () => {
    const a = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: a\n  user: u\n';
    const out = redactSecrets('s.yaml', a, a.replace('password: a', 'password: b'));
    expect(out).toContain('password: "<redacted: changed>"');
    expect(out).toContain('user: "<redacted: unchanged>"');
    expect(out).not.toMatch(/sha|[0-9a-f]{12}/);
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
    const code = await run(['seal', '--cert', CERT, '-C', dir], { out: (s) => (out += s), err: (s) => (out += s) }, { CALISTI_USERNAME: 'u', CALISTI_PASSWORD: 'p4ss-word' });
    expect(code).toBe(1);
    for (const f of FORMS) expect(out).toContain(`extra/${f}`);
    expect(out).not.toMatch(/leak-\d/);
  });

  it('validate reports every form as secret/plaintext and prints no value', async () => {
    const dir = await repoWithCorpus();
    const v = await cli('validate', '-C', dir, '-o', 'json', '--no-cache');
    expect(v.code).toBe(1);
    const files = JSON.parse(v.stdout).findings.filter((f: { rule: string }) => f.rule === 'secret/plaintext').map((f: { file: string }) => f.file);
    for (const f of FORMS) expect(files.some((x: string) => x.startsWith(`extra/${f}`)), f).toBe(true);
    expect(v.stdout + v.stderr).not.toMatch(/leak-\d/);
  });

  it('generate refuses a password put by hand into a generated file', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const f = join(dir, 'manifests/smm-operator/overlays/workload-cluster-2/registry-pull-secret.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('{"auths":{}}', '{"auths":{"r":{"auth":"bGVhay1oYW5k"}}}'));
    const g = await cli('generate', '-C', dir, '--force');
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/credentials in clear[\s\S]*registry-pull-secret\.yaml/);
    expect(g.stderr).not.toContain('bGVhay1oYW5k');
  });

  it('diff -o markdown shows a hand-put Secret in a generated file as changed, never its value', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const f = join(dir, 'manifests/smm-operator/overlays/workload-cluster-2/registry-pull-secret.yaml');
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { password: 'leak-md-1' } }] };
    writeFileSync(f, JSON.stringify(list));
    const r = await cli('diff', '-C', dir, '-o', 'markdown');
    expect(r.stdout).not.toContain('leak-md-1');
    expect(secretValues(list).some((v) => v.clear)).toBe(true);
  });
});
