/**
 * OIDC login for the dashboard (docs 2.5.10.2): the docs' ControlPlane settings from the model, the
 * client secret never in git: a placeholder until `seal --target oidc`, then a SealedSecret holding
 * a merge patch and a PostSync Job that applies it with kubectl. Built with kustomize.
 */
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../../src/model/load.js';
import { SealedStore } from '../../../src/secrets/store.js';
import { leaksInText } from '../../../src/secrets/detect.js';
import { fleetModel, renderToDisk } from './render.js';

const OIDC = `      oidc:
        issuerURL: https://dex.example.org
        clientID: smm
        username: {claim: email, prefix: "oidc:"}
        groups: {claim: groups, prefix: "oidc:"}
        requiredClaims: {hd: example.org}
        kubectlImage: registry.example.org/tools/kubectl:1.24.17
`;
const fleet = (dashboard: string) => fleetModel(`  - name: c1\n    dashboard:\n${dashboard}`, '');
const EXPOSED = '      expose: true\n      hostname: smm.example.org\n      tls: {letsEncrypt: true}\n';
const OVERLAY = 'manifests/smm-controlplane/overlays/c1';

const sealedFor = (cluster: string) =>
  new SealedStore({
    apiVersion: 'calisti-gitops.io/v1alpha1',
    kind: 'SealedValues',
    secrets: [
      {
        cluster,
        namespace: 'smm-registry-access',
        name: 'smm-oidc-client-secret',
        scope: 'strict',
        type: 'Opaque',
        encryptedData: { 'patch.json': 'AgBy3i4OJSWK+PiTySYZZA==' },
      },
    ],
  });

describe('dashboard OIDC login', () => {
  it("renders the docs' settings without the secret, and a placeholder until it is sealed", async () => {
    const { tree, build } = renderToDisk(fleet(EXPOSED + OIDC));
    const objs = await build(OVERLAY);
    expect(objs.find((o) => o.kind === 'ControlPlane')!.spec.smm.auth).toEqual({
      mode: 'impersonation',
      oidc: {
        enabled: true,
        client: { id: 'smm', issuerURL: 'https://dex.example.org' },
        username: { claim: 'email', prefix: 'oidc:' },
        groups: { claim: 'groups', prefix: 'oidc:' },
        requiredClaims: { hd: 'example.org' },
      },
    });
    const placeholder = objs.find((o) => o.kind === 'Secret' && o.metadata.name === 'smm-oidc-client-secret')!;
    expect(placeholder.metadata.annotations['calisti-gitops.io/placeholder']).toContain('calisti-gitops seal --target oidc');
    expect(placeholder.data ?? placeholder.stringData).toBeUndefined();
    // No Job until there is something to apply: it would fail every sync.
    expect(objs.filter((o) => o.kind === 'Job')).toEqual([]);
    for (const [path, f] of tree) expect(leaksInText(path, f.content), path).toEqual([]);
  });

  it('once sealed, a SealedSecret and a PostSync Job that applies the patch with kubectl, without a shell', async () => {
    const objs = await renderToDisk(fleet(EXPOSED + OIDC), sealedFor('c1')).build(OVERLAY);
    const sealed = objs.find((o) => o.kind === 'SealedSecret')!;
    expect(sealed.metadata).toMatchObject({ name: 'smm-oidc-client-secret', namespace: 'smm-registry-access' });
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(['patch.json']);
    const job = objs.find((o) => o.kind === 'Job')!;
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'PostSync' });
    const pod = job.spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.example.org/tools/kubectl:1.24.17');
    expect(pod.containers[0].command).toEqual(['kubectl', 'patch', 'controlplane', 'smm', '--type', 'merge', '--patch-file', '/oidc/patch.json']);
    expect(pod.volumes).toEqual([{ name: 'oidc', secret: { secretName: 'smm-oidc-client-secret' } }]);
    const role = objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'smm-oidc-client-secret')!;
    expect(role.rules).toEqual([{ apiGroups: ['smm.cisco.com'], resources: ['controlplanes'], resourceNames: ['smm'], verbs: ['get', 'patch'] }]);
    expect(objs.find((o) => o.kind === 'ClusterRoleBinding')!.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'smm-oidc-client-secret', namespace: 'smm-registry-access' },
    ]);
    expect(objs.find((o) => o.kind === 'ControlPlane')!.spec.smm.auth.oidc.client).toEqual({ id: 'smm', issuerURL: 'https://dex.example.org' });
  });

  it.each([
    ['OIDC on a dashboard that is not exposed', `      expose: false\n${OIDC}`, 'clusters[0].dashboard.oidc', 'set expose: true'],
    ['OIDC with anonymous access', `      expose: true\n      anonymous: true\n${OIDC}`, 'clusters[0].dashboard.oidc', 'anonymous: true turns login off'],
    ['an issuer over plain HTTP', EXPOSED + OIDC.replace('https://dex', 'http://dex'), 'clusters[0].dashboard.oidc.issuerURL', 'https:// URL'],
    ['a kubectl image without tag or digest', EXPOSED + OIDC.replace('kubectl:1.24.17', 'kubectl'), 'clusters[0].dashboard.oidc.kubectlImage', 'tag or digest'],
    [
      'the client secret in the model',
      EXPOSED + OIDC.replace('clientID: smm', 'clientID: smm\n        clientSecret: s3cr3t'),
      'clusters[0].dashboard.oidc.clientSecret',
      'seal it with calisti-gitops seal --target oidc',
    ],
    [
      "the client secret through overrides (the renderer's output is not leak-checked)",
      `      expose: true\n      anonymous: true\n    overrides:\n      controlPlane: {smm: {auth: {oidc: {client: {secret: s3cr3t}}}}}\n`,
      'clusters[0].overrides.controlPlane.smm.auth.oidc.client.secret',
      'seal --target oidc',
    ],
  ])('rejects %s', (_n, dashboard, path, message) => {
    expect(() => parseFleet(fleet(dashboard))).toThrow(path);
    expect(() => parseFleet(fleet(dashboard))).toThrow(message);
  });
});

describe('the leak detector', () => {
  it('finds the OIDC client secret written into a ControlPlane, not its absence or a template', () => {
    const cp = (secret: string) =>
      `apiVersion: smm.cisco.com/v1alpha1\nkind: ControlPlane\nmetadata:\n  name: smm\nspec:\n  smm:\n    auth:\n      oidc:\n        client:\n          id: smm\n${secret}`;
    expect(leaksInText('cp.yaml', cp('          secret: hunter2\n'))).toEqual([{ what: 'ControlPlane/smm', keys: ['spec.smm.auth.oidc.client.secret'] }]);
    expect(leaksInText('cp.yaml', cp(''))).toEqual([]);
    expect(leaksInText('cp.yaml', cp('          secret: ${OIDC_CLIENT_SECRET}\n'))).toEqual([]);
  });
});
