/**
 * A corpus of broken repos: each case breaks a repo generated from an example in one way and must
 * give exactly the expected rule IDs (beyond the clean repo's own findings), with exit status 1
 * when any of them is an error. The clean repos themselves are the passing side of every rule.
 */
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runValidate, type ValidateReport } from '../../src/validate/index.js';
import { RULES } from '../../src/validate/findings.js';
import { calistiDocs as GUIDE, cli, CRD_PATHS, hasConformance, hasDocs, NO_CONFORMANCE, NO_DOCS, tempDir } from '../helpers.js';

const CRDS = CRD_PATHS;
const bases: Record<string, string> = {};
const baseline: Record<string, Set<string>> = {};

const validate = (dir: string, strict = false) => runValidate({ dir, strict, crds: CRDS });
const ruleSet = (r: ValidateReport) => new Set(r.findings.filter((f) => f.severity !== 'info').map((f) => f.rule));

beforeAll(async () => {
  for (const example of ['multi-cluster', 'active-active', 'single-cluster']) {
    const dir = join(tempDir(), example);
    expect((await cli('init', dir, '--example', example)).code).toBe(0);
    // Warm the build cache the copies inherit.
    baseline[example] = ruleSet(await validate(dir));
    bases[example] = dir;
  }
});

function copy(example: string): string {
  const dir = join(tempDir(), 'case');
  cpSync(bases[example]!, dir, { recursive: true });
  return dir;
}

const edit = (dir: string, file: string, fn: (s: string) => string) => writeFileSync(join(dir, file), fn(readFileSync(join(dir, file), 'utf8')));
const append = (dir: string, file: string, text: string) => edit(dir, file, (s) => `${s}${text}`);
const addResource = (dir: string, kdir: string, file: string, text: string) => {
  writeFileSync(join(dir, kdir, file), text);
  edit(dir, `${kdir}/kustomization.yaml`, (s) => s.replace('resources:\n', `resources:\n  - ${file}\n`));
};

const guideFile = (path: string) => {
  const m = new RegExp(`cat > "?${path.replace(/[./]/g, '\\$&')}"? <<\\s*EOF\\n([\\s\\S]*?)\\n {4}EOF\\n`).exec(
    GUIDE.slice(GUIDE.indexOf('\n2.3.7 - Install SMM - GitOps - multi-cluster')),
  )!;
  return `${m[1]!
    .split('\n')
    .map((l) => l.replace(/^ {4}/, ''))
    .join('\n')
    .replace(/\$\{WORKLOAD_CLUSTER_(\d)_CONTEXT\}/g, 'workload-cluster-$1')
    .replace(/\$\{GITHUB_ID\}/g, 'github-id')
    .replace(/\$\{GITHUB_REPOSITORY_NAME\}/g, 'calisti-gitops')}\n`;
};

const CP_OVERLAY = 'manifests/smm-controlplane/overlays/workload-cluster-1';
const GW = `apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  annotations: { argocd.argoproj.io/sync-wave: "20" }
  name: NAME
  namespace: smm-demo-gw
spec:
  selector:
    gateway-name: demo-gw
    gateway-type: ingress
  servers:
    - hosts: ["HOST"]
      port: { name: PNAME, number: 80, protocol: PROTO }
`;

type Case = [name: string, example: string, mutate: (dir: string) => void, expected: string[]];

const cases: Case[] = [
  // The root application's source (apps/) stops building too.
  [
    "the guide's invalid ApplicationSet",
    'multi-cluster',
    (d) => writeFileSync(join(d, 'apps/smm-controlplane/app-set.yaml'), guideFile('apps/smm-controlplane/app-set.yaml')),
    ['yaml/invalid', 'kustomize/build-failed'],
  ],
  [
    "the guide's deprecated kustomization",
    'multi-cluster',
    (d) =>
      writeFileSync(
        join(d, CP_OVERLAY, 'kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbases:\n  - ../../base\npatchesStrategicMerge:\n  - control-plane.yaml\n  - istio-cp-v115x.yaml\n',
      ),
    ['kustomize/warning'],
  ],
  [
    'a patch that does not build',
    'multi-cluster',
    (d) => edit(d, `${CP_OVERLAY}/kustomization.yaml`, (s) => s.replace('path: control-plane.yaml', 'path: control-plan.yaml')),
    ['kustomize/build-failed'],
  ],
  [
    'an IstioControlPlane with mode: BOTH',
    'multi-cluster',
    (d) => edit(d, 'manifests/smm-controlplane/base/istio-cp-v115x.yaml', (s) => s.replace('mode: ACTIVE', 'mode: BOTH')),
    ['schema/invalid', 'multicluster/no-active'],
  ],
  ['a misspelt IstioControlPlane field', 'multi-cluster', (d) => append(d, `${CP_OVERLAY}/istio-cp-v115x.yaml`, '  meshId: mesh1\n'), ['schema/unknown-field']],
  [
    'a misspelt ControlPlane field',
    'multi-cluster',
    (d) => append(d, `${CP_OVERLAY}/control-plane.yaml`, '  clusterRegistery:\n    enabled: true\n'),
    ['schema/unknown-field'],
  ],
  [
    'a misspelt Namespace field',
    'multi-cluster',
    (d) =>
      edit(d, 'manifests/smm-controlplane/base/cert-manager-namespace.yaml', (s) =>
        s.replace('  name: cert-manager', '  name: cert-manager\n  lables:\n    a: b'),
      ),
    ['schema/unknown-field'],
  ],
  [
    'a namespace pointing at cp-v999x',
    'multi-cluster',
    (d) => edit(d, 'manifests/demo-app/base/demo-app-namespace.yaml', (s) => s.replace('cp-v115x.istio-system', 'cp-v999x.istio-system')),
    ['namespace/istio-rev-unknown', 'demoapp/revision-mismatch'],
  ],
  [
    'a ControlPlane pointing at a missing IstioControlPlane',
    'multi-cluster',
    (d) => edit(d, 'manifests/smm-controlplane/base/control-plane.yaml', (s) => s.replace('name: cp-v115x', 'name: cp-v113x')),
    ['controlplane/istio-ref-missing'],
  ],
  [
    'a ControlPlane named for another cluster',
    'multi-cluster',
    (d) => edit(d, `${CP_OVERLAY}/control-plane.yaml`, (s) => s.replace('clusterName: workload-cluster-1', 'clusterName: workload-cluster-9')),
    ['controlplane/cluster-name-mismatch'],
  ],
  [
    'a passive ControlPlane on an ACTIVE Istio (documented: a passive SMM on a primary Istio cluster) passes',
    'multi-cluster',
    (d) => append(d, `${CP_OVERLAY}/control-plane.yaml`, '  role: passive\n'),
    [],
  ],
  [
    'two active SMM control planes',
    'multi-cluster',
    (d) => edit(d, 'components/smm-controlplane/passive/control-plane.yaml', (s) => s.replace(/role: passive/g, 'role: active')),
    ['controlplane/multiple-active', 'controlplane/role-mismatch'],
  ],
  [
    'a namespace labelled istio-injection',
    'multi-cluster',
    (d) => edit(d, 'manifests/demo-app/base/demo-app-namespace.yaml', (s) => s.replace('    istio.io/rev:', '    istio-injection: enabled\n    istio.io/rev:')),
    ['namespace/istio-injection-label'],
  ],
  [
    "a DestinationRule with mTLS and no mesh policy (the docs' movies)",
    'multi-cluster',
    (d) =>
      addResource(
        d,
        'manifests/demo-app/base',
        'dr.yaml',
        'apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata:\n  name: movies\n  namespace: smm-demo\nspec:\n  host: movies\n  trafficPolicy:\n    tls: { mode: ISTIO_MUTUAL }\n',
      ),
    ['destinationrule/enabled-mtls/missing-mesh-policy'],
  ],
  [
    'a Gateway that selects no gateway pods',
    'active-active',
    (d) =>
      addResource(
        d,
        'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw',
        'lost.yaml',
        GW.replace('NAME', 'lost')
          .replace('HOST', 'lost.example.com')
          .replace('PNAME', 'http')
          .replace('PROTO', 'HTTP')
          .replace('gateway-name: demo-gw', 'gateway-name: demo-gateway'),
      ),
    ['gateway/selector-unmatched'],
  ],
  [
    "a misspelt VirtualService field (Istio's own schema)",
    'active-active',
    (d) =>
      edit(d, 'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw/virtual-service-demo-gw.yaml', (s) =>
        s.replace('        - destination:', '        - destinaton:'),
      ),
    ['schema/unknown-field'],
  ],
  [
    'a VirtualService routing to a misspelt demo service',
    'active-active',
    (d) =>
      edit(d, 'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw/virtual-service-demo-gw.yaml', (s) => s.replace('host: frontpage.', 'host: frontpag.')),
    ['virtualservice/destination-unknown'],
  ],
  [
    'a mesh gateway on a missing control plane',
    'active-active',
    (d) => edit(d, 'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw/mesh-gateway.yaml', (s) => s.replace('name: cp-v115x', 'name: cp-v113x')),
    ['meshgateway/controlplane-missing'],
  ],
  [
    'a demo app on another revision than its namespace',
    'multi-cluster',
    (d) => edit(d, 'manifests/demo-app/base/demo-app.yaml', (s) => s.replace('revision: cp-v115x.istio-system', 'revision: cp-v113x.istio-system')),
    ['demoapp/revision-mismatch'],
  ],
  [
    'a demo app on a missing ControlPlane',
    'multi-cluster',
    (d) => edit(d, 'manifests/demo-app/base/demo-app.yaml', (s) => s.replace('name: smm\n', 'name: smm2\n')),
    ['demoapp/controlplane-missing'],
  ],
  [
    'a VirtualService on a missing Gateway',
    'active-active',
    (d) => edit(d, 'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw/virtual-service-demo-gw.yaml', (s) => s.replace('- demo-gw', '- demo-gateway')),
    ['virtualservice/gateway-missing'],
  ],
  [
    'two Gateways with conflicting protocols on one port',
    'active-active',
    (d) =>
      addResource(
        d,
        'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw',
        'tcp.yaml',
        GW.replace('NAME', 'tcp').replace('HOST', 'tcp.example.com').replace('PNAME', 'tcp').replace('PROTO', 'TCP'),
      ),
    ['gateway/port/protocol-conflict'],
  ],
  [
    'two Gateways sharing a certificate',
    'active-active',
    (d) => {
      for (const n of ['a', 'b'])
        addResource(
          d,
          'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw',
          `${n}.yaml`,
          GW.replace('NAME', n)
            .replace('HOST', `${n}.example.com`)
            .replace('PNAME', 'https')
            .replace('PROTO', 'HTTPS')
            .replace('number: 80', 'number: 443')
            .concat('      tls: { mode: SIMPLE, credentialName: shared-cert }\n'),
        );
    },
    ['gateway/reused-cert'],
  ],
  [
    'a fleet with no active control plane',
    'multi-cluster',
    (d) => edit(d, 'manifests/smm-controlplane/base/istio-cp-v115x.yaml', (s) => s.replace('mode: ACTIVE', 'mode: PASSIVE')),
    ['multicluster/no-active', 'controlplane/role-mismatch'],
  ],
  [
    'clusters on different mesh IDs',
    'multi-cluster',
    (d) => append(d, `${CP_OVERLAY}/istio-cp-v115x.yaml`, '  meshID: mesh2\n'),
    ['multicluster/mesh-id-mismatch'],
  ],
  [
    'a multi-cluster control plane without a network',
    'multi-cluster',
    (d) => edit(d, `${CP_OVERLAY}/istio-cp-v115x.yaml`, (s) => s.replace(/ {2}networkName: .*\n/, '  meshID: mesh1\n')),
    ['multicluster/network-missing'],
  ],
  [
    'a mesh gateway that syncs before its control plane',
    'active-active',
    (d) => edit(d, 'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw/mesh-gateway.yaml', (s) => s.replace('"15"', '"1"')),
    ['syncwave/order'],
  ],
  [
    "the control plane's ApplicationSet in a wave before the operator's chart (a hand edit)",
    'multi-cluster',
    (d) => edit(d, 'apps/smm-controlplane/app-set.yaml', (s) => s.replace('argocd.argoproj.io/sync-wave: "1"', 'argocd.argoproj.io/sync-wave: "-2"')),
    ['syncwave/crd-order'],
  ],
  [
    'a Gateway in a wave before the IstioControlPlane that installs its CRD',
    'active-active',
    (d) => edit(d, 'manifests/smm-controlplane/gateways/smm-demo-gw/demo-gw/gateway.yaml', (s) => s.replace('"20"', '"3"')),
    ['syncwave/crd-order'],
  ],
  [
    'a plaintext password in a Secret',
    'multi-cluster',
    (d) =>
      addResource(
        d,
        'manifests/smm-operator/overlays/workload-cluster-1',
        'db.yaml',
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: smm-registry-access\nstringData:\n  password: hunter2\n',
      ),
    ['secret/plaintext'],
  ],
  [
    'a plaintext password in Helm parameters',
    'multi-cluster',
    (d) =>
      edit(d, 'apps/smm-operator/app-set.yaml', (s) =>
        s.replace(
          '              - name: global.ecr.enabled',
          '              - name: global.basicAuth.password\n                value: hunter2\n              - name: global.ecr.enabled',
        ),
      ),
    ['secret/plaintext'],
  ],
  [
    'two ApplicationSets making the same Application',
    'multi-cluster',
    (d) => {
      writeFileSync(
        join(d, 'apps/demo-app/copy.yaml'),
        readFileSync(join(d, 'apps/demo-app/app-set.yaml'), 'utf8').replace('name: demo-app-appset', 'name: demo-app-appset-2'),
      );
      edit(d, 'apps/kustomization.yaml', (s) => `${s}  - demo-app/copy.yaml\n`);
    },
    ['app/duplicate-name'],
  ],
  [
    'an Application name that is not DNS-1123',
    'multi-cluster',
    (d) => edit(d, 'apps/demo-app/app-set.yaml', (s) => s.replace('name: demo-app-{{cluster}}', 'name: Demo_App-{{cluster}}')),
    ['app/invalid-name'],
  ],
  [
    'a source path that does not exist',
    'multi-cluster',
    (d) => edit(d, 'apps/demo-app/app-set.yaml', (s) => s.replace('manifests/demo-app/overlays', 'manifests/demo/overlays')),
    ['app/source-path-missing'],
  ],
  [
    'a template parameter no generator gives',
    'multi-cluster',
    (d) => edit(d, 'apps/demo-app/app-set.yaml', (s) => s.replace('name: "{{argocdCluster}}"', 'name: "{{ clusterName }}"')),
    ['appset/unknown-parameter', 'app/destination-unknown'],
  ],
  [
    'a list element Argo CD cannot read as a string (fasttemplate)',
    'multi-cluster',
    (d) =>
      edit(d, 'apps/demo-app/app-set.yaml', (s) => s.replace('- cluster: workload-cluster-1\n', '- cluster: workload-cluster-1\n            replicas: 3\n')),
    ['appset/rejected'],
  ],
  [
    'an ApplicationSet file apps/kustomization.yaml no longer lists',
    'multi-cluster',
    (d) => edit(d, 'apps/kustomization.yaml', (s) => s.replace('  - demo-app/app-set.yaml\n', '')),
    ['argocd/unreachable'],
  ],
  [
    'an Application no RollingSync step selects (Argo CD never syncs it)',
    'multi-cluster',
    (d) =>
      edit(d, 'apps/demo-app/app-set.yaml', (s) =>
        s.replace(
          '  template:\n',
          '  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n        - matchExpressions: [{ key: calisti.io/ring, operator: In, values: [canary] }]\n  template:\n',
        ),
      ),
    ['appset/rolling-sync-unmatched'],
  ],
  [
    'a generator that cannot be expanded offline',
    'multi-cluster',
    (d) => edit(d, 'apps/demo-app/app-set.yaml', (s) => s.replace('  generators:\n', '  generators:\n    - scmProvider: {}\n')),
    ['appset/generator-unsupported'],
  ],
  [
    'an OCI chart with a version range',
    'multi-cluster',
    (d) => edit(d, 'apps/smm-operator/app-set.yaml', (s) => s.replace('targetRevision: 1.12.0', 'targetRevision: 1.12.*')),
    ['helm/oci-reference', 'version/mismatch'],
  ],
  [
    "an Application off Argo CD's schema",
    'multi-cluster',
    (d) => edit(d, 'apps/demo-app/app-set.yaml', (s) => s.replace('selfHeal: true', 'selfHeal: "yes"')),
    ['argocd/schema'],
  ],
  [
    'a remote resource in a kustomization (never fetched)',
    'multi-cluster',
    (d) =>
      edit(d, 'manifests/demo-app/overlays/workload-cluster-1/kustomization.yaml', (s) =>
        s.replace('  - ../../base\n', '  - ../../base\n  - https://raw.githubusercontent.com/attacker/x/main/cm.yaml\n'),
      ),
    ['kustomize/remote-resource'],
  ],
  [
    'a remote git base in a kustomization',
    'multi-cluster',
    (d) =>
      edit(d, 'manifests/demo-app/overlays/workload-cluster-1/kustomization.yaml', (s) =>
        s.replace('  - ../../base\n', '  - github.com/attacker/repo//deploy?ref=v1\n'),
      ),
    ['kustomize/remote-resource'],
  ],
  [
    'a resource that is a symlink to /dev/zero',
    'multi-cluster',
    (d) => {
      symlinkSync('/dev/zero', join(d, 'manifests/demo-app/overlays/workload-cluster-1/zero.yaml'));
      edit(d, 'manifests/demo-app/overlays/workload-cluster-1/kustomization.yaml', (s) => s.replace('  - ../../base\n', '  - ../../base\n  - zero.yaml\n'));
    },
    ['kustomize/unsafe-input'],
  ],
  [
    'a broken overlay behind another spelling of the repo URL is still built',
    'multi-cluster',
    (d) => {
      edit(d, 'apps/demo-app/app-set.yaml', (s) =>
        s.replace('repoURL: https://github.com/github-id/calisti-gitops.git', 'repoURL: https://GitHub.com/github-id/calisti-gitops/'),
      );
      edit(d, 'manifests/demo-app/overlays/workload-cluster-1/kustomization.yaml', (s) => s.replace('path: demo-app.yaml', 'path: nope.yaml'));
    },
    ['kustomize/build-failed'],
  ],
  [
    'a source from another git repository',
    'multi-cluster',
    (d) =>
      edit(d, 'apps/demo-app/app-set.yaml', (s) =>
        s.replace('repoURL: https://github.com/github-id/calisti-gitops.git', 'repoURL: https://github.com/someone-else/manifests.git'),
      ),
    ['app/source-not-checked'],
  ],
  [
    'an 11 MB YAML file under apps/ is not parsed',
    'multi-cluster',
    (d) => writeFileSync(join(d, 'apps/huge.yaml'), `a: [${'1,'.repeat(5_500_000)}1]\n`),
    ['yaml/invalid'],
  ],
  [
    'an Application name longer than 63 characters',
    'multi-cluster',
    (d) =>
      edit(d, 'apps/demo-app/app-set.yaml', (s) =>
        s.replace(/name: ('|")?demo-app-\{\{cluster\}\}('|")?/, "name: 'demo-app-with-a-very-long-name-that-argo-cd-cannot-track-{{cluster}}'"),
      ),
    ['app/name-too-long'],
  ],
  [
    'a model change not generated (a network change, which also needs a detach and re-attach)',
    'multi-cluster',
    (d) => edit(d, 'calisti.yaml', (s) => s.replace('network: network1', 'network: net-9')),
    ['model/drift', 'topology/network-change'],
  ],
  [
    'a Renovate-style in-place Istio image bump',
    'multi-cluster',
    (d) => edit(d, 'manifests/smm-controlplane/base/istio-cp-v115x.yaml', (s) => s.replace('istio-pilot:v1.15.3-bzc.1', 'istio-pilot:v1.15.4-bzc.0')),
    ['version/mismatch'],
  ],
  [
    'a Renovate-style chart bump',
    'multi-cluster',
    (d) => edit(d, 'apps/smm-operator/app-set.yaml', (s) => s.replace('targetRevision: 1.12.0', 'targetRevision: 1.13.0')),
    ['version/mismatch'],
  ],
  [
    'a Renovate config that does not extend the preset',
    'multi-cluster',
    (d) => writeFileSync(join(d, 'renovate.json'), '{ "extends": ["config:recommended"] }\n'),
    ['renovate/preset-not-extended'],
  ],
  [
    'a downgrade of calisti.version',
    'multi-cluster',
    (d) => edit(d, 'calisti.yaml', (s) => s.replace('version: 1.12.0', 'version: 1.11.0')),
    ['model/drift', 'upgrade/path', 'version/mismatch'],
  ],
  [
    'one resource from two Applications',
    'multi-cluster',
    (d) => addResource(d, 'manifests/smm-controlplane/base', 'demo-ns.yaml', readFileSync(join(d, 'manifests/demo-app/base/demo-app-namespace.yaml'), 'utf8')),
    ['resource/duplicate'],
  ],
];

/** Why a case cannot run here: it reads the docs, or needs an upstream CRD (Argo CD's, istio-operator's). */
function missingData([name]: Case): string | undefined {
  if (name.startsWith("the guide's invalid")) return hasDocs ? undefined : NO_DOCS;
  return /IstioControlPlane|Argo CD's schema/.test(name) && !hasConformance ? NO_CONFORMANCE : undefined;
}

describe('validate rules', () => {
  // The guide's optional active-active step (2.3.7 step 9) makes both SMM control planes active, which 2.7.1 says not to do.
  it.each([
    ['multi-cluster', []],
    ['active-active', ['controlplane/multiple-active']],
    ['single-cluster', []],
  ])('a clean %s repo passes, with only placeholder warnings and the documented ones: %j', async (example, documented) => {
    const r = await validate(bases[example]!);
    expect(r.ok).toBe(true);
    expect([...ruleSet(r)].sort()).toEqual([...documented, 'secret/unsealed-placeholder'].sort());
    expect((await validate(bases[example]!, true)).ok).toBe(false);
  });

  for (const c of cases.filter(missingData)) it.skip(`${c[0]} (skipped: ${missingData(c)})`, () => {});
  it.each(cases.filter((c) => !missingData(c)))('%s', async (_name, example, mutate, expected) => {
    const dir = copy(example);
    mutate(dir);
    const r = await validate(dir);
    const got = [...ruleSet(r)].filter((id) => !baseline[example]!.has(id)).sort();
    expect(
      got,
      JSON.stringify(
        r.findings.filter((f) => f.severity !== 'info' && !baseline[example]!.has(f.rule)),
        null,
        1,
      ),
    ).toEqual([...expected].sort());
    const anyError = expected.some((id) => RULES[id as keyof typeof RULES].severity === 'error');
    expect(r.ok).toBe(!anyError);
  });

  it.skipIf(!hasConformance || !hasDocs)('covers every rule with a failing case', () => {
    // helm/template-failed is covered by the vendored chart test below.
    const covered = new Set([...cases.flatMap(([, , , e]) => e), 'helm/template-failed']);
    const untested = Object.keys(RULES).filter(
      (id) => RULES[id as keyof typeof RULES].severity !== 'info' && !covered.has(id) && id !== 'secret/unsealed-placeholder',
    );
    expect(untested).toEqual([]);
  });
});

describe('vendored charts', () => {
  it('are rendered with helm template as Argo CD would, and schema-checked', async () => {
    const dir = join(tempDir(), 'vendored');
    const model = join(tempDir(), 'calisti.yaml');
    writeFileSync(
      model,
      readFileSync(join(bases['multi-cluster']!, 'calisti.yaml'), 'utf8').replace('  version: 1.12.0\n', '  version: 1.12.0\n  chart: vendored\n'),
    );
    expect((await cli('init', dir, '-f', model)).code).toBe(0);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'charts/smm-operator'), { recursive: true });
    writeFileSync(join(dir, 'charts/smm-operator/Chart.yaml'), 'apiVersion: v2\nname: smm-operator\nversion: 1.12.0\n');
    // helm is not installed here: a stand-in records its arguments and prints one object.
    const bin = tempDir();
    const log = join(bin, 'args');
    writeFileSync(
      join(bin, 'helm'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > ${log}\nprintf '# Source: smm-operator/templates/sa.yaml\\napiVersion: v1\\nkind: ServiceAccount\\nmetadata:\\n  name: smm-operator\\n  namespace: smm-registry-access\\nautomount: true\\n'\n`,
      { mode: 0o755 },
    );
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const r = await validate(dir);
      expect(readFileSync(log, 'utf8').split('\n')).toEqual(
        expect.arrayContaining(['template', 'smm-operator', '--namespace', 'smm-registry-access', '--set', 'global.ecr.enabled=false']),
      );
      expect(r.findings.filter((f) => f.rule === 'schema/unknown-field')).toEqual(
        expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('automount'), file: 'charts/smm-operator/templates/sa.yaml' })]),
      );
      // A chart's templates can print an alias bomb: refused as a failed render, not expanded.
      const levels = Array.from({ length: 10 }, (_, i) => `  a${i + 1}: &a${i + 1} [${Array(12).fill(`*a${i}`).join(', ')}]`);
      const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'data:', '  a0: &a0 [x, x]', ...levels].join('\\n');
      writeFileSync(join(bin, 'helm'), `#!/bin/sh\nprintf '${bomb}\\n'\n`, { mode: 0o755 });
      const bombed = await validate(dir);
      expect(bombed.findings.find((f) => f.rule === 'helm/template-failed')!.message).toMatch(/cannot be read: .*alias/i);
      writeFileSync(join(bin, 'helm'), '#!/bin/sh\necho "Error: template: bad.yaml:3: unexpected EOF" >&2\nexit 1\n', { mode: 0o755 });
      const failed = await validate(dir);
      expect(failed.ok).toBe(false);
      expect(failed.findings.find((f) => f.rule === 'helm/template-failed')!.message).toContain('unexpected EOF');
    } finally {
      process.env.PATH = path;
    }
    const without = await validate(dir);
    expect(without.findings.some((f) => f.rule === 'helm/not-rendered' && f.message.includes('helm is not installed'))).toBe(true);
  });
});

describe('README', () => {
  it('lists every rule', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const id of Object.keys(RULES)) expect(readme, id).toContain(`| \`${id}\` |`);
  });
});

describe('finding locations', () => {
  it.skipIf(!hasConformance)(
    `point at the overlay patch that wrote a bad field, with its line${hasConformance ? '' : ` (skipped: ${NO_CONFORMANCE})`}`,
    async () => {
      const dir = copy('multi-cluster');
      const f = `${CP_OVERLAY}/istio-cp-v115x.yaml`;
      append(dir, f, '  meshId: mesh1\n');
      const r = await validate(dir);
      const found = r.findings.find((x) => x.rule === 'schema/unknown-field')!;
      expect(found).toMatchObject({
        file: f,
        line: readFileSync(join(dir, f), 'utf8').split('\n').indexOf('  meshId: mesh1') + 1,
        cluster: 'workload-cluster-1',
      });
    },
  );
});
