import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { oaepLabel, unseal } from '../../src/secrets/crypto.js';
import { cli, conformance, describeWithConformance, hasConformance, parseYamlDocs, snapshot, tempDir } from '../helpers.js';
import { FakeApi, kubeconfig } from './fake-api.js';

const CERT = conformance('sealed-secrets', 'cert.pem');
const KEY = hasConformance ? readFileSync(conformance('sealed-secrets', 'key.pem'), 'utf8') : '';
const servers: FakeApi[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function repo(example = 'multi-cluster'): Promise<string> {
  const dir = join(tempDir(), 'repo');
  expect((await cli('init', dir, '--example', example)).code).toBe(0);
  return dir;
}

function writeKubeconfig(text: string): string {
  const f = join(tempDir(), 'kubeconfig');
  writeFileSync(f, text);
  return f;
}

describeWithConformance('clusters add', () => {
  it('seals the Argo CD cluster Secret from a context, adds the cluster, and leaks nothing', async () => {
    const dir = await repo();
    const token = 'tok-4e1c-very-secret';
    const kc = writeKubeconfig(kubeconfig([{ name: 'wc-3.example:prod', server: 'https://10.0.0.3:6443', token }]));
    const add = () =>
      cli('clusters', 'add', '--context', 'wc-3.example:prod', '--kubeconfig', kc, '--cert', CERT, '--role', 'passive', '--offline', '-C', dir, '-o', 'json');
    const r = await add();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cluster: 'wc-3-example-prod', added: true });
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(readFileSync(join(dir, 'calisti.yaml'), 'utf8')).toMatch(/- name: wc-3-example-prod\n\s+role: passive/);
    const s = parseYamlDocs(readFileSync(join(dir, 'bootstrap/cluster-wc-3-example-prod.yaml'), 'utf8'))[0]!;
    // The labels Argo CD's cluster generator selects on: secret type, and the fleet's role, network and platform.
    expect(s.spec.template.metadata.labels).toEqual({
      'argocd.argoproj.io/secret-type': 'cluster',
      'calisti.io/network': 'wc-3-example-prod',
      'calisti.io/platform': 'kubernetes',
      'calisti.io/role': 'passive',
    });
    const dec = (k: string) =>
      unseal(KEY, Buffer.from(s.spec.encryptedData[k], 'base64'), oaepLabel('strict', 'argocd', 'cluster-wc-3-example-prod')).toString();
    expect(dec('name')).toBe('wc-3-example-prod');
    expect(dec('server')).toBe('https://10.0.0.3:6443');
    expect(JSON.parse(dec('config'))).toEqual({ bearerToken: token, tlsClientConfig: { insecure: false, caData: Buffer.from('test-ca').toString('base64') } });
    const all = [...snapshot(dir).values()].join('\n') + execFileSync('git', ['-C', dir, 'log', '-p'], { encoding: 'utf8' });
    expect(all).not.toContain(token);
    // New cluster gets its overlays; running again only reseals.
    expect(readFileSync(join(dir, 'apps/smm-controlplane/app-set.yaml'), 'utf8')).toContain('cluster: wc-3-example-prod');
    const again = await add();
    expect(JSON.parse(again.stdout).added).toBe(false);
    expect(readFileSync(join(dir, 'calisti.yaml'), 'utf8').match(/wc-3-example-prod/g)).toHaveLength(1);
  });

  const sealedConfig = (dir: string, name: string) => {
    const s = parseYamlDocs(readFileSync(join(dir, `bootstrap/cluster-${name}.yaml`), 'utf8'))[0]!;
    return JSON.parse(unseal(KEY, Buffer.from(s.spec.encryptedData.config, 'base64'), oaepLabel('strict', 'argocd', `cluster-${name}`)).toString());
  };

  it('offline, keeps client certificates; EKS contexts get awsAuthConfig, not the aws plugin', async () => {
    const dir = await repo();
    const kc = writeKubeconfig(
      kubeconfig([
        { name: 'certs', server: 'https://c:6443', user: { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' } },
        {
          name: 'eks',
          server: 'https://e:443',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws',
              args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'prod-eu', '--role-arn', 'arn:aws:iam::1:role/argo'],
              env: [{ name: 'AWS_PROFILE', value: 'p' }],
            },
          },
        },
      ]),
    );
    expect((await cli('clusters', 'add', '--context', 'certs', '--offline', '--kubeconfig', kc, '--cert', CERT, '-C', dir)).code).toBe(0);
    // EKS needs no cluster access: Argo CD authenticates with its own IAM role.
    const eks = await cli('clusters', 'add', '--context', 'eks', '--kubeconfig', kc, '--cert', CERT, '-C', dir, '-o', 'json');
    expect(eks.code, eks.stderr).toBe(0);
    expect(JSON.parse(eks.stdout)).toMatchObject({ registration: 'aws', created: [] });
    expect(sealedConfig(dir, 'certs').tlsClientConfig).toMatchObject({ certData: 'Y2VydA==', keyData: 'a2V5' });
    expect(sealedConfig(dir, 'eks')).toEqual({
      awsAuthConfig: { clusterName: 'prod-eu', roleARN: 'arn:aws:iam::1:role/argo' },
      tlsClientConfig: { insecure: false, caData: Buffer.from('test-ca').toString('base64') },
    });
  });

  it('creates a dedicated ServiceAccount on the cluster, as argocd cluster add does, and seals its token', async () => {
    const dir = await repo();
    const api = await new FakeApi('admin-token').start();
    servers.push(api);
    const kc = writeKubeconfig(kubeconfig([{ name: 'Prod_EU', server: api.url, token: 'admin-token' }]));
    const r = await cli('clusters', 'add', '--context', 'Prod_EU', '--kubeconfig', kc, '--cert', CERT, '-C', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests.filter((q) => q.method === 'PATCH').map((q) => q.path.split('?')[0])).toEqual([
      '/api/v1/namespaces/kube-system/serviceaccounts/argocd-manager',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/argocd-manager-role',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/argocd-manager-role-binding',
      '/api/v1/namespaces/kube-system/secrets/argocd-manager-long-lived-token',
    ]);
    const binding = api.objects.get('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/argocd-manager-role-binding')!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argocd-manager', namespace: 'kube-system' }]);
    // The admin's own token never reaches the repo; the ServiceAccount's does, sealed.
    expect(sealedConfig(dir, 'prod-eu')).toEqual({
      bearerToken: api.serviceAccountToken,
      tlsClientConfig: { insecure: true, caData: Buffer.from('cluster-ca').toString('base64') },
    });
    expect([...snapshot(dir).values()].join('\n')).not.toContain('admin-token');
    // Says which name it chose and what is left: sealing the new cluster's pull secret.
    expect(r.stderr).toContain('name made from context "Prod_EU"');
    expect(r.stderr).toMatch(/next: calisti-gitops seal --cert .* --cluster prod-eu --target registry/);
  });

  it('offline, refuses exec plugins Argo CD lacks and tokens that expire, and changes nothing', async () => {
    const dir = await repo();
    const before = snapshot(dir);
    const jwt = ['e30', Buffer.from(JSON.stringify({ sub: 'me', exp: 1900000000 })).toString('base64url'), 'sig'].join('.');
    const kc = writeKubeconfig(
      kubeconfig([
        {
          name: 'oidc',
          server: 'https://o:6443',
          user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token'] } },
        },
        { name: 'short', server: 'https://s:6443', token: jwt },
      ]),
    );
    const plugin = await cli('clusters', 'add', '--context', 'oidc', '--offline', '--kubeconfig', kc, '--cert', CERT, '-C', dir);
    expect(plugin.code).toBe(1);
    expect(plugin.stderr).toMatch(/exec plugin "kubelogin"/);
    expect(plugin.stderr).toMatch(/next: calisti-gitops clusters add --context oidc --cert <file> \(without --offline/);
    const expiring = await cli('clusters', 'add', '--context', 'short', '--offline', '--kubeconfig', kc, '--cert', CERT, '-C', dir);
    expect(expiring.code).toBe(1);
    expect(expiring.stderr).toMatch(/expires \(2030-/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails clearly on an unknown context', async () => {
    const dir = await repo();
    const kc = writeKubeconfig(kubeconfig([{ name: 'a', server: 'https://a', token: 't' }]));
    const r = await cli('clusters', 'add', '--context', 'b', '--kubeconfig', kc, '--cert', CERT, '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no context "b" in the kubeconfig/);
  });
});

describe('clusters list and remove', () => {
  it('lists the clusters with what the repo holds for each', async () => {
    const dir = await repo();
    const r = await cli('clusters', 'list', '-C', dir, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'workload-cluster-1', role: 'active', network: 'network1', registered: false, pullSecretSealed: false },
      { name: 'workload-cluster-2', role: 'passive', network: 'workload-cluster-2', registered: false, pullSecretSealed: false },
    ]);
  });

  it('removes a cluster only with consent, naming what Argo CD will delete', async () => {
    const dir = await repo();
    const before = snapshot(dir);
    const refused = await cli('clusters', 'remove', 'workload-cluster-2', '-C', dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('deletes its Applications (demo-app-workload-cluster-2, smm-cp-workload-cluster-2, smm-operator-workload-cluster-2)');
    expect(refused.stderr).toMatch(/the operator and its CRDs/);
    expect(refused.stderr).toContain('next: calisti-gitops clusters remove workload-cluster-2 --allow-destructive');
    expect(snapshot(dir)).toEqual(before);
    // The demo app still runs services there: that is the user's call, not a silent removal.
    const named = await cli('clusters', 'remove', 'workload-cluster-2', '--allow-destructive', '-C', dir);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('still named in calisti.yaml at demoApp.placement[1]');
    expect(snapshot(dir)).toEqual(before);
    const model = join(dir, 'calisti.yaml');
    writeFileSync(model, readFileSync(model, 'utf8').replace(/ {4}- cluster: workload-cluster-2\n {6}components: \[.*\]\n/, ''));
    execFileSync('git', ['-C', dir, 'commit', '-qam', 'demo app on one cluster']);
    const r = await cli('clusters', 'remove', 'workload-cluster-2', '--allow-destructive', '-C', dir, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).applications).toEqual(['smm-cp-workload-cluster-2', 'smm-operator-workload-cluster-2']);
    expect(parseYamlDocs(readFileSync(model, 'utf8'))[0]!.clusters.map((c: { name: string }) => c.name)).toEqual(['workload-cluster-1']);
    expect([...snapshot(dir).keys()].filter((f) => f.includes('workload-cluster-2'))).toEqual([]);
    const missing = await cli('clusters', 'remove', 'nope', '-C', dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('next: calisti-gitops clusters list');
  });
});

describe('trust', () => {
  async function fleet() {
    const dir = await repo();
    const apis = [await new FakeApi('t1').start(), await new FakeApi('t2').start()];
    servers.push(...apis);
    apis.forEach((api, i) => {
      const name = `workload-cluster-${i + 1}`;
      api.objects.set(`/apis/clusterregistry.k8s.cisco.com/v1alpha1/clusters/${name}`, {
        apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
        kind: 'Cluster',
        metadata: { name, uid: `uid-${i}`, resourceVersion: '42' },
        spec: { clusterID: `id-${i}` },
        status: { state: 'Ready' },
      });
      api.objects.set(`/api/v1/namespaces/cluster-registry/secrets/${name}`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'cluster-registry', resourceVersion: '7' },
        type: 'k8s.cisco.com/kubeconfig',
        data: { kubeconfig: Buffer.from(`kc-${i}`).toString('base64') },
      });
    });
    const kc = writeKubeconfig(kubeconfig(apis.map((a, i) => ({ name: `workload-cluster-${i + 1}`, server: a.url, token: `t${i + 1}` }))));
    return { dir, apis, kc };
  }

  it('copies each Cluster and its Secret to the other cluster with server-side apply, idempotently', async () => {
    const { dir, apis, kc } = await fleet();
    const r = await cli('trust', '--kubeconfig', kc, '-C', dir, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const patches = apis[1]!.requests.filter((q) => q.method === 'PATCH');
    expect(patches.map((p) => p.path)).toEqual([
      '/apis/clusterregistry.k8s.cisco.com/v1alpha1/clusters/workload-cluster-1?fieldManager=calisti-gitops&force=true',
      '/api/v1/namespaces/cluster-registry/secrets/workload-cluster-1?fieldManager=calisti-gitops&force=true',
    ]);
    for (const p of patches) {
      expect(p.contentType).toBe('application/apply-patch+yaml');
      expect(p.authorization).toBe('Bearer t2');
      expect(JSON.stringify(p.body)).not.toMatch(/resourceVersion|uid|status/);
    }
    expect(patches[0]!.body).toEqual({
      apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'workload-cluster-1' },
      spec: { clusterID: 'id-0' },
    });
    expect(apis[0]!.objects.get('/api/v1/namespaces/cluster-registry/secrets/workload-cluster-2')!.data).toEqual({
      kubeconfig: Buffer.from('kc-1').toString('base64'),
    });
    // Secret data never printed.
    expect(r.stdout + r.stderr).not.toContain(Buffer.from('kc-1').toString('base64'));
    const state = JSON.stringify([...apis[0]!.objects, ...apis[1]!.objects]);
    expect((await cli('trust', '--kubeconfig', kc, '-C', dir)).code).toBe(0);
    expect(JSON.stringify([...apis[0]!.objects, ...apis[1]!.objects])).toBe(state);
  });

  it('--dry-run asks the servers to check without writing', async () => {
    const { dir, apis, kc } = await fleet();
    const before = JSON.stringify([...apis[1]!.objects]);
    expect((await cli('trust', '--kubeconfig', kc, '-C', dir, '--dry-run')).code).toBe(0);
    expect(apis[1]!.requests.filter((q) => q.method === 'PATCH').every((q) => q.path.endsWith('&dryRun=All'))).toBe(true);
    expect(JSON.stringify([...apis[1]!.objects])).toBe(before);
  });

  it('fails with exit 1 and a clear message when a server is unreachable', async () => {
    const { dir, apis } = await fleet();
    const kc = writeKubeconfig(
      kubeconfig([
        { name: 'workload-cluster-1', server: apis[0]!.url, token: 't1' },
        { name: 'workload-cluster-2', server: 'http://127.0.0.1:1', token: 't2' },
      ]),
    );
    const r = await cli('trust', '--kubeconfig', kc, '-C', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:1 \(context workload-cluster-2\): ECONNREFUSED/);
  });
});

describe('bootstrap and status', () => {
  it('applies bootstrap/ to the management cluster and reads Application health back', async () => {
    const dir = await repo();
    const api = await new FakeApi('m').start();
    servers.push(api);
    const kc = writeKubeconfig(kubeconfig([{ name: 'mgmt', server: api.url, token: 'm' }]));
    const r = await cli('bootstrap', '--context', 'mgmt', '--kubeconfig', kc, '-C', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests.map((q) => `${q.method} ${q.path.split('?')[0]}`)).toEqual([
      'PATCH /api/v1/namespaces/argocd/configmaps/argocd-cm',
      'PATCH /api/v1/namespaces/argocd/configmaps/argocd-cmd-params-cm',
      'PATCH /api/v1/namespaces/argocd/secrets/calisti-gitops-repository',
      'PATCH /api/v1/namespaces/argocd/secrets/smm-operator-chart-repository',
      'PATCH /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/calisti-gitops',
    ]);
    api.objects.set('/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/smm-cp-workload-cluster-1', {
      metadata: { name: 'smm-cp-workload-cluster-1' },
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
    });
    const s = await cli('status', '--context', 'mgmt', '--kubeconfig', kc, '-C', dir, '-o', 'json');
    expect(s.code, s.stderr).toBe(0);
    const out = JSON.parse(s.stdout);
    expect(out.applications).toEqual(expect.arrayContaining([{ application: 'smm-cp-workload-cluster-1', sync: 'Synced', health: 'Healthy' }]));
    expect(out.controlPlanes).toEqual({ 'workload-cluster-1': 'no kubeconfig context', 'workload-cluster-2': 'no kubeconfig context' });
  });
});
