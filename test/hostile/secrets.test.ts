/**
 * Twenty ways to put a credential in clear into a repo. Each must be refused by generate (the leak
 * guard), failed by validate, and never printed by diff. The value is the same everywhere so one
 * search finds any leak.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/diff/files.js';
import { leaksInText } from '../../src/secrets/detect.js';
import { toolkitRoot } from '../../src/toolkit.js';
import { cli, snapshot, tempDir } from '../helpers.js';

const PW = 'hunter2-Pa55';
const B64 = Buffer.from(PW).toString('base64');
const PH = 'calisti-gitops.io/placeholder';
const GENERATED = 'manifests/smm-operator/overlays/workload-cluster-1/registry-pull-secret.yaml';

/** [name, file, content]: every one holds PW (or its base64) in clear. */
export const FORMS: [string, string, string][] = [
  ['block style stringData', 'extra/a.yaml', `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  password: ${PW}\n`],
  ['base64 data', 'extra/b.yaml', `apiVersion: v1\nkind: Secret\nmetadata: {name: b}\ndata:\n  password: ${B64}\n`],
  ['flow style', 'extra/c.yaml', `{apiVersion: v1, kind: Secret, metadata: {name: c}, stringData: {password: ${PW}}}\n`],
  ['JSON in a .yaml file', 'extra/d.yaml', `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"d"},"stringData":{"password":"${PW}"}}\n`],
  ['a space before the colon', 'extra/e.yaml', `apiVersion: v1\nkind : Secret\nmetadata: {name: e}\nstringData:\n  password: ${PW}\n`],
  ['quoted kind', 'extra/f.yaml', `apiVersion: v1\nkind: "Secret"\nmetadata: {name: f}\nstringData:\n  token: ${PW}\n`],
  ['an alias for the kind', 'extra/g.yaml', `x: &k Secret\n---\napiVersion: v1\nkind: &k2 Secret\nmetadata: {name: g}\nstringData:\n  token: ${PW}\n`],
  ['a tag on the kind', 'extra/h.yaml', `apiVersion: v1\nkind: !!str Secret\nmetadata: {name: h}\nstringData:\n  token: ${PW}\n`],
  ['an escaped kind', 'extra/i.yaml', `apiVersion: v1\nkind: "S\\x65cret"\nmetadata: {name: i}\nstringData:\n  token: ${PW}\n`],
  ['a .json resource', 'extra/j.json', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'j' }, stringData: { password: PW } })],
  ['a JSON unicode escape', 'extra/k.json', `{"apiVersion":"v1","kind":"\\u0053ecret","metadata":{"name":"k"},"stringData":{"password":"${PW}"}}`],
  [
    'inside a List',
    'extra/l.yaml',
    `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: l}\n    stringData:\n      password: ${PW}\n`,
  ],
  [
    'inside a SecretList',
    'extra/m.yaml',
    `apiVersion: v1\nkind: SecretList\nitems:\n  - {apiVersion: v1, kind: Secret, metadata: {name: m}, data: {password: ${B64}}}\n`,
  ],
  [
    'a second document',
    'extra/n.yaml',
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: n}\nstringData:\n  password: ${PW}\n`,
  ],
  ['secretGenerator literals', 'extra/o/kustomization.yaml', `secretGenerator:\n  - name: o\n    literals:\n      - password=${PW}\n`],
  ['secretGenerator envs', 'extra/p/kustomization.yaml', `secretGenerator:\n  - name: p\n    envs: [creds.env]\n`],
  ['under charts/', 'charts/q/templates/secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata: {name: q}\nstringData:\n  password: ${PW}\n`],
  [
    'a placeholder annotation on a real value',
    'extra/r.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: r\n  annotations: {${PH}: seal me}\nstringData:\n  password: ${PW}\n`,
  ],
  [
    'a placeholder docker config with auths',
    'extra/s.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations: {${PH}: seal me}\nstringData:\n  .dockerconfigjson: '{"auths":{"r":{"password":"${PW}"}}}'\n`,
  ],
  ['a password put by hand into a generated file', GENERATED, ''],
];

function plant(dir: string, [, file, content]: [string, string, string]): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  if (file === GENERATED) writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace('{"auths":{}}', `{"auths":{"r":{"password":"${PW}"}}}`));
  else writeFileSync(join(dir, file), content);
  if (file.endsWith('p/kustomization.yaml')) writeFileSync(join(dir, 'extra/p/creds.env'), `password=${PW}\n`);
}

describe('the secret detector', () => {
  it.each(FORMS.filter(([, f]) => f !== GENERATED))('finds %s', (_name, file, content) => {
    expect(leaksInText(file, content).length).toBeGreaterThan(0);
  });

  it("lets the renderer's own placeholders and sealed values through", () => {
    const placeholder = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  annotations: {${PH}: seal me}\nstringData:\n  .dockerconfigjson: '{"auths":{}}'\n  url: oci://registry\n  type: helm\n`;
    expect(leaksInText('x.yaml', placeholder)).toEqual([]);
    expect(leaksInText('y.yaml', 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec: {encryptedData: {password: AgB0}}\n')).toEqual([]);
  });

  it.each(FORMS.filter(([, f]) => f !== GENERATED))('diff redaction hides %s', (_name, file, content) => {
    const out = redactSecrets(file, content);
    expect(out).not.toContain(PW);
    expect(out).not.toContain(B64);
  });

  it('redacts with a key of its own per run: no fixed digest to guess a weak password from', () => {
    // Two processes, as two diff runs: the same value gets different digests.
    const module = join(toolkitRoot, 'dist', 'src', 'diff', 'files.js');
    const run = () =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { redactSecrets } from ${JSON.stringify(module)}; process.stdout.write(redactSecrets('a.yaml', ${JSON.stringify(FORMS[0]![2])}))`,
        ],
        { encoding: 'utf8' },
      );
    const [a, b] = [run(), run()];
    expect(a).toMatch(/<redacted [0-9a-f]{12}>/);
    expect(a).not.toEqual(b);
  });
});

describe('a repo with a credential in clear', () => {
  it.each(FORMS)('%s: generate refuses it without echoing it; validate fails it', async (_name, file, content) => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    plant(dir, [_name, file, content]);
    writeFileSync(join(dir, 'calisti.yaml'), readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('network: network1', 'network: net-a'));
    const before = snapshot(dir);
    const g = await cli('generate', '-C', dir);
    expect(g.code, g.stderr).toBe(1);
    expect(g.stderr).toContain('credentials in clear');
    expect(g.stderr + g.stdout).not.toContain(PW);
    expect(snapshot(dir)).toEqual(before);
    const v = await cli('validate', '-C', dir, '-o', 'json', '--no-cache');
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('secret/plaintext');
    expect(v.stdout + v.stderr).not.toContain(PW);
  });
});

describe('the build cache', () => {
  it('never keeps a credential in clear', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    plant(dir, FORMS.find(([, f]) => f === GENERATED)!);
    expect((await cli('validate', '-C', dir)).code).toBe(1);
    const cache = join(dir, '.git', 'calisti-gitops', 'build-cache');
    // grep exits 1 when nothing matches (and 2 if the cache were missing).
    const r = spawnSync('grep', ['-rl', '-e', PW, '-e', B64, cache], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });
});

describe('the hostile corpus (test/hostile/secrets: one form per file, its value holds "leak-")', () => {
  const corpus = join(toolkitRoot, 'test', 'hostile', 'secrets');
  const files = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(d, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(d, e.name)] : [],
    );
  it.each(files(corpus).map((f) => [f.slice(corpus.length + 1), f]))('%s is found and redacted', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(leaksInText(file, text).length).toBeGreaterThan(0);
    expect(redactSecrets(file, text)).not.toMatch(/leak-\d+/);
  });
});
