import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { parseFleet } from '../../src/model/load.js';
import { examplesDir } from '../../src/toolkit.js';

const base = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8');

function problems(text: string) {
  try {
    parseFleet(text, 'calisti.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return (e as ModelError).problems;
  }
  throw new Error('expected the model to be rejected');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('parseFleet', () => {
  it.each(['git@github.com:acme/calisti-gitops.git', 'ssh://git@github.com/acme/calisti-gitops.git', 'https://github.com/acme/calisti-gitops.git'])(
    'accepts the repoURL %s (a user for ssh is no credential)',
    (url) => {
      expect(parseFleet(base.replace('https://github.com/github-id/calisti-gitops.git', url)).git.repoURL).toBe(url);
    },
  );

  it('accepts every example and fills the documented defaults', () => {
    for (const ex of ['single-cluster', 'multi-cluster', 'active-active']) {
      const fleet = parseFleet(readFileSync(join(examplesDir, ex, 'calisti.yaml'), 'utf8'));
      expect(fleet.istio.namespace).toBe('istio-system');
      expect(fleet.argocd.namespace).toBe('argocd');
      expect(fleet.clusters.length).toBeGreaterThan(0);
    }
    const mc = parseFleet(base);
    expect(mc.clusters.map((c) => [c.name, c.role])).toEqual([
      ['workload-cluster-1', 'active'],
      ['workload-cluster-2', 'passive'],
    ]);
    expect(mc.argocd.syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: '5s', maxDuration: '3m0s', factor: 2 } });
  });

  it('locates a bad cluster name, including path tricks, at its line and column', () => {
    for (const bad of ['../x', 'Workload_1', 'a/b', '-x', 'x'.repeat(64)]) {
      const text = base.replace('name: workload-cluster-2', `name: ${JSON.stringify(bad)}`);
      const [p] = problems(text);
      expect(p).toMatchObject({ file: 'calisti.yaml', line: lineOf(text, JSON.stringify(bad)), path: 'clusters[1].name' });
      expect(p!.col).toBe(text.split('\n')[p!.line - 1]!.indexOf(JSON.stringify(bad)) + 1);
      expect(p!.message).toMatch(/RFC 1123|63/);
    }
  });

  it('rejects wrong types with the field path', () => {
    const text = base.replace('role: passive', 'role: 7');
    const [p] = problems(text);
    expect(p).toMatchObject({ path: 'clusters[1].role', line: lineOf(text, 'role: 7') });
  });

  it('rejects duplicate cluster names at the duplicate', () => {
    const text = base.replace('name: workload-cluster-2', 'name: workload-cluster-1');
    const ps = problems(text);
    expect(ps.some((p) => p.path === 'clusters[1].name' && /duplicate cluster name/.test(p.message))).toBe(true);
  });

  it('rejects an unknown Calisti version and lists the supported ones', () => {
    const text = base.replace('version: 1.12.0', 'version: 1.99.0');
    const [p] = problems(text);
    expect(p).toMatchObject({ path: 'calisti.version', line: lineOf(text, '1.99.0') });
    expect(p!.message).toContain('1.11.0');
  });

  it('rejects a fleet without an active cluster', () => {
    const text = base.replace('role: active', 'role: passive');
    expect(problems(text).some((p) => p.path === 'clusters' && /role: active/.test(p.message))).toBe(true);
  });

  it('rejects demo components placed on unknown clusters', () => {
    const text = base.replace('- cluster: workload-cluster-2', '- cluster: workload-cluster-9');
    const [p] = problems(text);
    expect(p).toMatchObject({ path: 'demoApp.placement[1].cluster', line: lineOf(text, 'workload-cluster-9') });
    expect(p!.message).toContain('unknown cluster');
  });

  it('rejects unknown demo components and unknown fields at the key', () => {
    const text = base.replace('components: [frontpage,', 'components: [frontpage, reviews,').replace('  targetRevision: HEAD', '  targetRevison: HEAD');
    const ps = problems(text);
    expect(ps.find((p) => p.path === 'git.targetRevison')).toMatchObject({ line: lineOf(text, 'targetRevison'), col: 3 });
    expect(ps.some((p) => p.path.startsWith('demoApp.placement[0].components'))).toBe(true);
  });

  it('reports YAML syntax errors with their position', () => {
    const text = base.replace('  - name: workload-cluster-2', '  - name: [workload-cluster-2');
    const [p] = problems(text);
    expect(p!.message).toMatch(/^YAML syntax/);
    expect(p!.line).toBeGreaterThanOrEqual(lineOf(text, '[workload-cluster-2'));
  });

  it('rejects an empty file and a missing required section', () => {
    expect(problems('')[0]).toMatchObject({ line: 1, col: 1 });
    expect(problems('# only a comment\n')[0]!.message).toMatch(/empty/);
    const noGit = base.replace(/^git:\n( {2}.*\n)+/m, '');
    expect(problems(noGit).find((p) => p.path === 'git')!.message).toMatch(/required/);
  });

  it('rejects gateways that cannot listen or sit in control-plane namespaces', () => {
    const text = `${base}gateways:\n  - name: gw\n    namespace: smm-system\n    clusters: [workload-cluster-1]\n    ports:\n      - name: http\n        port: 80\n`;
    const ps = problems(text);
    expect(ps.map((p) => p.path)).toEqual(expect.arrayContaining(['gateways[0].namespace', 'gateways[0].ports[0].port']));
  });

  it('survives alias bombs and oversized input with a located error', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expect(problems(bomb)[0]!.line).toBe(1);
    expect(problems('x: '.padEnd(9 * 1024 * 1024, 'y'))[0]!.message).toMatch(/larger than/);
  });

  /** Sets YAML under a top-level section or a cluster of the multi-cluster example. */
  const withCluster0 = (yaml: string) => base.replace('  - name: workload-cluster-1\n', `  - name: workload-cluster-1\n${yaml}`);
  const withTop = (yaml: string) => `${base}${yaml}`;
  const gateway = (ns: string) =>
    withTop(`gateways:\n  - name: gw\n    namespace: ${ns}\n    clusters: [workload-cluster-1]\n    ports: [{ name: http, port: 8080 }]\n`);
  const demoNamespace = (ns: string) => base.replace('demoApp:\n', `demoApp:\n  namespace: ${ns}\n`);
  const workloadNamespace = (ns: string) => withTop(`namespaces:\n  - name: ${ns}\n`);
  const argo = (yaml: string) => withTop(`argocd:\n${yaml}`);

  // Values Argo CD, Helm or Kubernetes would read differently or reject: refused where written.
  it.each([
    // Helm parameters (issue 11.15): Argo CD does not escape "," after "\" nor inside "{...}".
    [
      'api server with \\,',
      withCluster0('    apiServerEndpointAddress: "https://x\\\\,global.ecr.enabled=true"\n'),
      'clusters[0].apiServerEndpointAddress',
      /https:\/\//,
    ],
    ['api server with ,', withCluster0('    apiServerEndpointAddress: "https://a.example.com,b=c"\n'), 'clusters[0].apiServerEndpointAddress', /https:\/\//],
    ['api server in braces', withCluster0('    apiServerEndpointAddress: "https://{a,b}"\n'), 'clusters[0].apiServerEndpointAddress', /https:\/\//],
    ['api server over http', withCluster0('    apiServerEndpointAddress: "http://a.example.com"\n'), 'clusters[0].apiServerEndpointAddress', /https:\/\//],
    [
      'api server port out of range',
      withCluster0('    apiServerEndpointAddress: "https://a.example.com:99999"\n'),
      'clusters[0].apiServerEndpointAddress',
      /port/,
    ],
    [
      'api server with a space',
      withCluster0('    apiServerEndpointAddress: "https://a.example.com /x"\n'),
      'clusters[0].apiServerEndpointAddress',
      /https:\/\//,
    ],
    // Reserved namespaces (issue 11.17).
    ['demo app in kube-system', demoNamespace('kube-system'), 'demoApp.namespace', /Kubernetes/],
    ['demo app in argocd', demoNamespace('argocd'), 'demoApp.namespace', /Argo CD/],
    ['demo app in istio-system', demoNamespace('istio-system'), 'demoApp.namespace', /Istio/],
    ['demo app in default', demoNamespace('default'), 'demoApp.namespace', /default/],
    ['gateway in argocd', gateway('argocd'), 'gateways[0].namespace', /Argo CD/],
    ['gateway in kube-public', gateway('kube-public'), 'gateways[0].namespace', /Kubernetes/],
    ['gateway in openshift-ingress', gateway('openshift-ingress'), 'gateways[0].namespace', /OpenShift/],
    ['gateway in istio-system', gateway('istio-system'), 'gateways[0].namespace', /Istio/],
    ['workload namespace kube-node-lease', workloadNamespace('kube-node-lease'), 'namespaces[0].name', /Kubernetes/],
    ['workload namespace argocd', workloadNamespace('argocd'), 'namespaces[0].name', /Argo CD/],
    ['workload namespace smm-system', workloadNamespace('smm-system'), 'namespaces[0].name', /Calisti/],
    ['Istio in kube-system', withTop('istio:\n  namespace: kube-system\n'), 'istio.namespace', /Kubernetes/],
    ['Istio in argocd', withTop('istio:\n  namespace: argocd\n'), 'istio.namespace', /Argo CD/],
    ['Istio in smm-system', withTop('istio:\n  namespace: smm-system\n'), 'istio.namespace', /Calisti/],
    ['Argo CD in kube-system', argo('  namespace: kube-system\n'), 'argocd.namespace', /Kubernetes/],
    // Strategic-merge directives in overrides (issue 11.17).
    [
      '$patch: replace',
      withCluster0('    overrides:\n      controlPlane:\n        $patch: replace\n'),
      'clusters[0].overrides.controlPlane.$patch',
      /allowPatchDirectives/,
    ],
    [
      'nested $patch: delete',
      withCluster0('    overrides:\n      controlPlane:\n        meshManager: { $patch: delete }\n'),
      'clusters[0].overrides.controlPlane.meshManager.$patch',
      /directive/,
    ],
    [
      '$patch in a list',
      withCluster0('    overrides:\n      istioControlPlane:\n        k8sResourceOverlays: [{ $patch: replace }]\n'),
      'clusters[0].overrides.istioControlPlane.k8sResourceOverlays[0].$patch',
      /directive/,
    ],
    [
      '$setElementOrder',
      withCluster0('    overrides:\n      controlPlane:\n        registryAccess: { "$setElementOrder/pullSecrets": [] }\n'),
      'clusters[0].overrides.controlPlane.registryAccess.$setElementOrder/pullSecrets',
      /directive/,
    ],
    [
      '$retainKeys',
      withCluster0('    overrides:\n      controlPlane:\n        smm: { $retainKeys: [enabled] }\n'),
      'clusters[0].overrides.controlPlane.smm.$retainKeys',
      /directive/,
    ],
    [
      '$deleteFromPrimitiveList',
      withCluster0('    overrides:\n      controlPlane:\n        smm: { "$deleteFromPrimitiveList/x": [a] }\n'),
      'clusters[0].overrides.controlPlane.smm.$deleteFromPrimitiveList/x',
      /directive/,
    ],
    // What Argo CD and Kubernetes accept (issue 11.18).
    ['project with a newline', argo('  project: "team\\nx"\n'), 'argocd.project', /RFC 1123 subdomain/],
    ['project with upper case and _', argo('  project: Team_A\n'), 'argocd.project', /RFC 1123 subdomain/],
    ['project with a colon (RBAC separator)', argo('  project: "a:b"\n'), 'argocd.project', /RFC 1123 subdomain/],
    [
      'duration with a space',
      argo('  syncPolicy:\n    retry:\n      backoff: { duration: "5 s" }\n'),
      'argocd.syncPolicy.retry.backoff.duration',
      /Go duration/,
    ],
    [
      'negative duration',
      argo('  syncPolicy:\n    retry:\n      backoff: { maxDuration: "-1m" }\n'),
      'argocd.syncPolicy.retry.backoff.maxDuration',
      /Go duration/,
    ],
    [
      'duration with an unknown unit',
      argo('  syncPolicy:\n    retry:\n      backoff: { duration: 5d }\n'),
      'argocd.syncPolicy.retry.backoff.duration',
      /Go duration/,
    ],
    ['label key with a space', withTop('namespaces:\n  - name: team-a\n    labels: { "bad key": x }\n'), 'namespaces[0].labels.bad key', /key name/],
    ['label key with an empty prefix', withTop('namespaces:\n  - name: team-a\n    labels: { "/x": y }\n'), 'namespaces[0].labels./x', /prefix/],
    [
      'label key with a bad prefix',
      withTop('namespaces:\n  - name: team-a\n    labels: { "Example.com/x": y }\n'),
      'namespaces[0].labels.Example.com/x',
      /prefix/,
    ],
    [
      'label key name too long',
      withTop(`namespaces:\n  - name: team-a\n    labels: { ${'k'.repeat(64)}: y }\n`),
      `namespaces[0].labels.${'k'.repeat(64)}`,
      /1-63/,
    ],
    ['label value too long', withTop(`namespaces:\n  - name: team-a\n    labels: { team: ${'v'.repeat(64)} }\n`), 'namespaces[0].labels.team', /63/],
    ['label value with a newline', withTop('namespaces:\n  - name: team-a\n    labels: { team: "a\\nb" }\n'), 'namespaces[0].labels.team', /label values/],
    ['cluster name longer than an RFC 1123 label', base.replace(/workload-cluster-2/g, 'c'.repeat(64)), 'clusters[1].name', /at most 63 characters/],
    ['Istio namespace too long for cp-vNNNx.<namespace>', withTop(`istio:\n  namespace: ${'n'.repeat(55)}\n`), 'istio.namespace', /cp-vNNNx/],
    ['revision that git reads as an option', base.replace('targetRevision: HEAD', 'targetRevision: --upload-pack=x'), 'git.targetRevision', /git/],
    ['revision with a newline', base.replace('targetRevision: HEAD', 'targetRevision: "main\\nx"'), 'git.targetRevision', /git/],
    ['revision with ..', base.replace('targetRevision: HEAD', 'targetRevision: a..b'), 'git.targetRevision', /git ref/],
    ['repoURL with HTML', base.replace('calisti-gitops.git', 'x<img>.git'), 'git.repoURL', /URL/],
    [
      'repoURL with a token as its user',
      base.replace('https://github.com/', 'https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/'),
      'git.repoURL',
      /credentials/,
    ],
    ['repoURL with a user and password', base.replace('https://github.com/', 'https://bob:hunter2@github.com/'), 'git.repoURL', /credentials/],
    ['ssh repoURL with a password', base.replace('https://github.com/', 'ssh://git:hunter2@github.com/'), 'git.repoURL', /credentials/],
    [
      'gateway host with a space',
      withTop('gateways:\n  - name: gw\n    namespace: edge\n    clusters: [workload-cluster-1]\n    ports: [{ name: http, port: 8080, hosts: ["a b"] }]\n'),
      'gateways[0].ports[0].hosts[0]',
      /host/,
    ],
    [
      'route to a host that is no Service name',
      withTop(
        'gateways:\n  - name: gw\n    namespace: edge\n    clusters: [workload-cluster-1]\n    ports: [{ name: http, port: 8080 }]\n    routes: [{ destination: { host: "Foo_bar", port: 80 } }]\n',
      ),
      'gateways[0].routes[0].destination.host',
      /subdomain/,
    ],
    [
      'route prefix with a space',
      withTop(
        'gateways:\n  - name: gw\n    namespace: edge\n    clusters: [workload-cluster-1]\n    ports: [{ name: http, port: 8080 }]\n    routes: [{ prefix: "/a b", destination: { host: x, port: 80 } }]\n',
      ),
      'gateways[0].routes[0].prefix',
      /whitespace/,
    ],
    [
      'quantity that is none',
      base.replace('demoApp:\n', 'demoApp:\n  resources:\n    limits: { cpu: 1.2.3Xyz, memory: 1Gi }\n    requests: { cpu: 1m, memory: 1Mi }\n'),
      'demoApp.resources.limits.cpu',
      /quantity/,
    ],
  ])('refuses %s, located at the field', (_name, text, path, message) => {
    const ps = problems(text);
    const p = ps.find((x) => x.path === path);
    expect(p, JSON.stringify(ps)).toBeDefined();
    expect(p!.message).toMatch(message);
    expect(p!.line).toBeGreaterThan(1);
  });

  it.each([
    ['an API server URL with port and path', withCluster0('    apiServerEndpointAddress: https://rancher.example.com:8443/k8s/clusters/c-1\n')],
    ['an IPv6 API server', withCluster0('    apiServerEndpointAddress: "https://[fd00::1]:6443"\n')],
    [
      'directives when explicitly allowed',
      withCluster0('    overrides:\n      allowPatchDirectives: true\n      controlPlane:\n        meshManager: { $patch: replace, enabled: true }\n'),
    ],
    ['workloads in the default namespace', workloadNamespace('default')],
    ['durations in seconds and Go units', argo('  syncPolicy:\n    retry:\n      backoff: { duration: "90", maxDuration: 1h2m3.5s }\n')],
    ['prefixed label keys', withTop('namespaces:\n  - name: team-a\n    labels: { "example.com/team": a.b_c-d, empty: "" }\n')],
    ['a project name with dots', argo('  project: team.a\n')],
    ['a 50-character cluster name', base.replace(/workload-cluster-2/g, 'c'.repeat(50))],
    ['a release branch with slashes', base.replace('targetRevision: HEAD', 'targetRevision: release/1.12')],
  ])('accepts %s', (_name, text) => {
    expect(() => parseFleet(text)).not.toThrow();
  });
});
