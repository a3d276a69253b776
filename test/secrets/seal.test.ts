import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../../src/cli/main.js';
import { oaepLabel, unseal } from '../../src/secrets/crypto.js';
import { git } from '../../src/repo/git.js';
import { cli, conformance, CRD_ARGS, describeWithConformance, hasConformance, listFiles, parseYamlDocs, snapshot, tempDir } from '../helpers.js';

const CERT = conformance('sealed-secrets', 'cert.pem');
const KEY = hasConformance ? readFileSync(conformance('sealed-secrets', 'key.pem'), 'utf8') : '';
const USER = 'calisti-user-7f3a';
const PASS = 'Pa55-q9z-very-secret';
const GIT_USER = 'git-reader-51c';
const GIT_TOKEN = 'ghp_token-0d1e-2f3a';
const CRDS = CRD_ARGS;

/** Runs `seal` with the credentials in its environment only, capturing every byte printed. */
async function runSeal(...args: string[]) {
  let out = '';
  const io = { out: (s: string) => (out += s), err: (s: string) => (out += s) };
  const code = await run(['seal', ...args], io, {
    CALISTI_USERNAME: USER,
    CALISTI_PASSWORD: PASS,
    CALISTI_GIT_USERNAME: GIT_USER,
    CALISTI_GIT_PASSWORD: GIT_TOKEN,
  });
  return { code, out };
}

function everything(dir: string): string {
  return [...snapshot(dir).values()].join('\n') + execFileSync('git', ['-C', dir, 'log', '-p', '--all'], { encoding: 'utf8' });
}

describeWithConformance('seal', () => {
  it('seals every placeholder; the repo holds no credential, even in history; validate --strict then passes', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    expect((await cli('validate', '-C', dir, '--strict', ...CRDS)).code).toBe(1);
    const r = await runSeal('--cert', CERT, '-C', dir, '-o', 'json');
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain(PASS);
    expect(r.out).not.toContain(USER);
    // Argo CD's credentials for this (private) repository, in a run of their own.
    const g = await runSeal('--cert', CERT, '-C', dir, '--target', 'git-repository');
    expect(g.code, g.out).toBe(0);
    expect(g.out).toContain('sealed argocd/calisti-gitops-repository for management');
    const all = everything(dir);
    for (const v of [PASS, USER, GIT_TOKEN, GIT_USER, Buffer.from(`${USER}:${PASS}`).toString('base64')]) expect(all).not.toContain(v);

    const v = await cli('validate', '-C', dir, '--strict', '-o', 'json', ...CRDS);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout + v.stderr).not.toContain(PASS);

    // What landed decrypts, with the test key, to a docker config for the registry.
    const s = parseYamlDocs(readFileSync(join(dir, 'manifests/smm-operator/overlays/workload-cluster-2/registry-pull-secret.yaml'), 'utf8'))[0]!;
    expect(s.kind).toBe('SealedSecret');
    const plain = unseal(
      KEY,
      Buffer.from(s.spec.encryptedData['.dockerconfigjson'], 'base64'),
      oaepLabel('strict', s.metadata.namespace, s.metadata.name),
    ).toString();
    expect(JSON.parse(plain).auths['registry.eticloud.io']).toEqual({
      username: USER,
      password: PASS,
      auth: Buffer.from(`${USER}:${PASS}`).toString('base64'),
    });
    const repoSecret = parseYamlDocs(readFileSync(join(dir, 'bootstrap/chart-repository.yaml'), 'utf8'))[0]!;
    expect(repoSecret.spec.template.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
    const gitSecret = parseYamlDocs(readFileSync(join(dir, 'bootstrap/git-repository.yaml'), 'utf8'))[0]!;
    expect(gitSecret.spec.template.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
    const field = (k: string) =>
      unseal(KEY, Buffer.from(gitSecret.spec.encryptedData[k], 'base64'), oaepLabel('strict', 'argocd', 'calisti-gitops-repository')).toString();
    expect(['type', 'url', 'username', 'password'].map(field)).toEqual(['git', 'https://github.com/github-id/calisti-gitops.git', GIT_USER, GIT_TOKEN]);

    // generate keeps sealed values byte for byte.
    const before = snapshot(dir);
    expect((await cli('generate', '-C', dir)).code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it('re-encrypts only what it is asked for, with the scope annotations kubeseal writes', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    expect((await runSeal('--cert', CERT, '-C', dir)).code).toBe(0);
    const store = () => parse(readFileSync(join(dir, 'sealed-secrets.yaml'), 'utf8')).secrets as { cluster: string; encryptedData: Record<string, string> }[];
    const first = store();
    expect((await runSeal('--cert', CERT, '-C', dir, '--cluster', 'workload-cluster-1', '--target', 'registry', '--scope', 'namespace-wide')).code).toBe(0);
    const second = store();
    for (const e of second) {
      const old = first.find((f) => f.cluster === e.cluster)!;
      if (e.cluster === 'workload-cluster-1') expect(e.encryptedData).not.toEqual(old.encryptedData);
      else expect(e).toEqual(old);
    }
    const s = parseYamlDocs(readFileSync(join(dir, 'manifests/smm-operator/overlays/workload-cluster-1/registry-pull-secret.yaml'), 'utf8'))[0]!;
    expect(s.metadata.annotations['sealedsecrets.bitnami.com/namespace-wide']).toBe('true');
    expect(s.spec.template.metadata.annotations['sealedsecrets.bitnami.com/namespace-wide']).toBe('true');
    expect(
      unseal(KEY, Buffer.from(s.spec.encryptedData['.dockerconfigjson'], 'base64'), oaepLabel('namespace-wide', 'smm-registry-access', '')).toString(),
    ).toContain(PASS);
  });

  it('refuses a repo with a plaintext credential (leak guard) without echoing it', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    writeFileSync(
      join(dir, 'manifests/smm-operator/overlays/workload-cluster-1/extra.yaml'),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  password: ${PASS}\n`,
    );
    const before = snapshot(dir);
    const g = await cli('generate', '-C', dir);
    expect(g.code).toBe(1);
    expect(g.stderr).toContain('manifests/smm-operator/overlays/workload-cluster-1/extra.yaml');
    expect(g.stderr).not.toContain(PASS);
    const s = await runSeal('--cert', CERT, '-C', dir);
    expect(s.code).toBe(1);
    expect(s.out).not.toContain(PASS);
    expect(snapshot(dir)).toEqual(before);
    expect((await git(dir).raw(['status', '--porcelain'])).trim()).toBe('?? manifests/smm-operator/overlays/workload-cluster-1/extra.yaml');
  });

  it('asks for credentials from the environment, never the command line', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const r = await cli('seal', '--cert', CERT, '-C', dir);
    if (!process.env.CALISTI_USERNAME) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/CALISTI_USERNAME is not set/);
    }
    expect((await cli('seal', '--cert', CERT, '--password', 'x', '-C', dir)).code).toBe(2);
    // From a file: sealed, and the file's content is never printed.
    const pw = join(tempDir(), 'pw');
    writeFileSync(pw, `${PASS}\n`);
    let printed = '';
    const capture = (s: string) => void (printed += s);
    const fromFile = await run(
      ['seal', '--cert', CERT, '-C', dir, '--password-file', pw, '--target', 'registry'],
      { out: capture, err: capture },
      { CALISTI_USERNAME: USER },
    );
    expect(fromFile).toBe(0);
    expect(printed).toMatch(/sealed smm-registry-access/);
    expect(printed).not.toContain(PASS);
    expect(listFiles(dir)).toContain('sealed-secrets.yaml');
    // One piped password cannot serve two kinds of credentials.
    const both = await run(
      ['seal', '--cert', CERT, '-C', dir, '--password-file', pw, '--target', 'registry,git-repository'],
      { out: capture, err: capture },
      { CALISTI_USERNAME: USER, CALISTI_GIT_USERNAME: GIT_USER },
    );
    expect(both).toBe(2);
  });

  it('git-repository: refused, with the reason and nothing changed, for an ssh URL or without a token', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const before = snapshot(dir);
    let printed = '';
    const capture = (s: string) => void (printed += s);
    expect(
      await run(['seal', '--cert', CERT, '-C', dir, '--target', 'git-repository'], { out: capture, err: capture }, { CALISTI_GIT_USERNAME: GIT_USER }),
    ).toBe(1);
    expect(printed).toContain('CALISTI_GIT_PASSWORD is not set');
    writeFileSync(
      join(dir, 'calisti.yaml'),
      readFileSync(join(dir, 'calisti.yaml'), 'utf8').replace('https://github.com/github-id/calisti-gitops.git', 'git@github.com:github-id/calisti-gitops.git'),
    );
    const ssh = await runSeal('--cert', CERT, '-C', dir, '--target', 'git-repository');
    expect(ssh.code).toBe(1);
    expect(ssh.out).toContain('is not https');
    expect(ssh.out).not.toContain(GIT_TOKEN);
    writeFileSync(join(dir, 'calisti.yaml'), before.get('calisti.yaml')!);
    expect(snapshot(dir)).toEqual(before);
  });
  it("seals the dashboard's OIDC client secret: a merge patch in a SealedSecret and the Job that applies it; nothing in clear", async () => {
    const CLIENT_SECRET = 'oidc-Zq7-client-secret';
    const dir = join(tempDir(), 'repo');
    const model = join(tempDir(), 'calisti.yaml');
    const example = readFileSync(join(import.meta.dirname, '../../examples/multi-cluster/calisti.yaml'), 'utf8');
    const oidc =
      '      hostname: smm.example.org\n      tls: {letsEncrypt: true}\n      oidc: {issuerURL: https://dex.example.org, clientID: smm, kubectlImage: "registry.example.org/tools/kubectl:1.24.17"}\n';
    writeFileSync(model, example.replace('      expose: true\n      anonymous: true\n', `      expose: true\n${oidc}`));
    expect((await cli('init', dir, '-f', model)).code).toBe(0);
    const placeholder = await cli('validate', '-C', dir, '-o', 'json', ...CRDS);
    expect(placeholder.stdout).toContain('seal --target oidc');

    // The secret from the environment, never an argument; only its sealed patch is written.
    let printed = '';
    const capture = (t: string) => void (printed += t);
    expect(
      await run(['seal', '--cert', CERT, '-C', dir, '--target', 'oidc'], { out: capture, err: capture }, { CALISTI_OIDC_CLIENT_SECRET: CLIENT_SECRET }),
      printed,
    ).toBe(0);
    expect(printed).toContain('sealed smm-registry-access/smm-oidc-client-secret for workload-cluster-1');
    expect(printed).not.toContain(CLIENT_SECRET);
    expect(everything(dir)).not.toContain(CLIENT_SECRET);
    const overlay = 'manifests/smm-controlplane/overlays/workload-cluster-1';
    const s = parseYamlDocs(readFileSync(join(dir, overlay, 'oidc-client-secret.yaml'), 'utf8'))[0]!;
    expect(s.kind).toBe('SealedSecret');
    const patch = unseal(
      KEY,
      Buffer.from(s.spec.encryptedData['patch.json'], 'base64'),
      oaepLabel('strict', 'smm-registry-access', 'smm-oidc-client-secret'),
    ).toString();
    expect(JSON.parse(patch)).toEqual({ spec: { smm: { auth: { oidc: { client: { secret: CLIENT_SECRET } } } } } });
    expect(listFiles(dir)).toContain(`${overlay}/oidc-job.yaml`);
    const v = await cli('validate', '-C', dir, '-o', 'json', ...CRDS);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).not.toContain('seal --target oidc');

    // A cluster without OIDC, or no secret at all, is refused with the way out.
    const none = await run(
      ['seal', '--cert', CERT, '-C', dir, '--target', 'oidc', '--cluster', 'workload-cluster-2'],
      { out: capture, err: capture },
      { CALISTI_OIDC_CLIENT_SECRET: CLIENT_SECRET },
    );
    expect(none).toBe(1);
    expect(printed).toContain('no dashboard.oidc in calisti.yaml for cluster(s) workload-cluster-2');
    expect(await run(['seal', '--cert', CERT, '-C', dir, '--target', 'oidc'], { out: capture, err: capture }, {})).toBe(1);
    expect(printed).toContain('CALISTI_OIDC_CLIENT_SECRET is not set');
  });
});
