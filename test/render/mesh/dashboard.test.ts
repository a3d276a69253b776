/** Exposing the dashboard (docs 2.5.10.1): the docs' ControlPlane patches, from the model, built with kustomize. */
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../../src/model/load.js';
import { fleetModel, renderToDisk } from './render.js';

const fleet = (dashboard: string) => fleetModel(`  - name: c1\n    dashboard:\n${dashboard}`, '');

async function exposeDashboard(dashboard: string) {
  const objs = await renderToDisk(fleet(dashboard)).build('manifests/smm-controlplane/overlays/c1');
  return objs.find((o) => o.kind === 'ControlPlane')!.spec.smm.exposeDashboard;
}

describe("dashboard exposure: the docs' scenarios", () => {
  it.each([
    [
      "Istio terminates TLS with a Let's Encrypt certificate",
      '      expose: true\n      hostname: smm.example.org\n      tls: {letsEncrypt: true}\n',
      {
        meshGateway: {
          enabled: true,
          service: { annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'smm.example.org.' } },
          tls: { enabled: true, letsEncrypt: { dnsNames: ['smm.example.org'], enabled: true } },
        },
      },
    ],
    [
      'the AWS load balancer terminates TLS',
      '      expose: true\n      hostname: smm.example.org\n      serviceAnnotations:\n        service.beta.kubernetes.io/aws-load-balancer-backend-protocol: http\n        service.beta.kubernetes.io/aws-load-balancer-ssl-ports: "443"\n      tls: {externalTermination: true}\n',
      {
        meshGateway: {
          enabled: true,
          service: {
            annotations: {
              'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'http',
              'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
              'external-dns.alpha.kubernetes.io/hostname': 'smm.example.org.',
            },
          },
          tls: { enabled: true, externalTermination: true },
        },
      },
    ],
    [
      'NodePort with a certificate of your own',
      '      expose: true\n      serviceType: NodePort\n      nodePorts: {http: 40080, https: 40443}\n      tls: {credentialName: my-own-secret}\n',
      {
        meshGateway: {
          enabled: true,
          service: { type: 'NodePort', nodePorts: { http: 40080, https: 40443 } },
          tls: { enabled: true, credentialName: 'my-own-secret' },
        },
      },
    ],
  ])('%s', async (_name, dashboard, expected) => {
    expect(await exposeDashboard(dashboard)).toEqual(expected);
  });

  it.each([
    ['exposed without TLS or anonymous access: every login would fail', '      expose: true\n', 'clusters[0].dashboard.tls', 'every login fails'],
    ["Let's Encrypt without a host name", '      expose: true\n      tls: {letsEncrypt: true}\n', 'clusters[0].dashboard.hostname', 'set it'],
    [
      'two ways of TLS at once',
      '      expose: true\n      hostname: a.example.org\n      tls: {letsEncrypt: true, credentialName: x}\n',
      'clusters[0].dashboard.tls',
      'exactly one',
    ],
    ['settings for a dashboard that is not exposed', '      hostname: a.example.org\n', 'clusters[0].dashboard.expose', 'no effect'],
  ])('rejects %s', (_n, dashboard, path, message) => {
    expect(() => parseFleet(fleet(dashboard))).toThrow(path);
    expect(() => parseFleet(fleet(dashboard))).toThrow(message);
  });
});
