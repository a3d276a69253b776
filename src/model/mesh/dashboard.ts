/**
 * Exposing the dashboard for real (docs 2.5.10.1): its host name, Service and TLS (Let's Encrypt,
 * a certificate of your own, or termination on the load balancer), and OIDC login (2.5.10.2).
 * Spread into the cluster's `dashboard` in ../schema.ts; checkDashboard holds the docs' rule that
 * an exposed dashboard needs HTTPS somewhere. The OIDC client secret is never part of the model:
 * `calisti-gitops seal --target oidc` seals it.
 */
import { z } from 'zod';
import { DnsSubdomain } from '../names.js';

const NodePort = z.number().int().min(30000).max(65535);

export const DashboardTls = z
  .strictObject({
    letsEncrypt: z
      .union([z.literal(true), z.strictObject({ server: z.url({ protocol: /^https$/ }).describe("ACME directory, e.g. Let's Encrypt staging for tests.") })])
      .optional()
      .describe("Certificate for hostname from Let's Encrypt (true, or the ACME server to use)."),
    credentialName: DnsSubdomain.optional().describe('A TLS Secret of your own in smm-system instead (docs: custom TLS credentials).'),
    externalTermination: z
      .boolean()
      .optional()
      .describe("The load balancer terminates TLS; the gateway serves plain HTTP on 443 (set the load balancer's annotations in serviceAnnotations)."),
  })
  .describe('Where TLS for the exposed dashboard is terminated; the dashboard logs in over HTTPS only.');

const ClaimMapping = z.strictObject({
  claim: z.string().min(1).optional().describe("JWT claim to take the value from (the API server's --oidc-*-claim)."),
  prefix: z.string().optional().describe('Prefix put before every value, e.g. "oidc:" (the API server\'s --oidc-*-prefix).'),
});

/** A container image with a tag or a digest: what the cluster pulls is decided here, not by "latest". */
const Image = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?(:\w[\w.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    'must be an image reference with a tag or digest, e.g. registry.example.org/tools/kubectl:1.24.17',
  );

export const DashboardOidc = z
  .strictObject({
    issuerURL: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL (the API server accepts no other scheme for an OIDC issuer)' })
      .describe('URL of the OIDC provider, the level below .well-known/openid-configuration (spec.smm.auth.oidc.client.issuerURL).'),
    clientID: z
      .string()
      .min(1)
      .describe(
        'Client ID registered at the provider (spec.smm.auth.oidc.client.id). The client secret is sealed with calisti-gitops seal --target oidc, never written here.',
      ),
    clientSecret: z
      .never({ error: 'never in calisti.yaml: seal it with calisti-gitops seal --target oidc (from CALISTI_OIDC_CLIENT_SECRET or stdin)' })
      .optional()
      .describe('Not here: the client secret is sealed with calisti-gitops seal --target oidc, so it never sits in git in clear.'),
    username: ClaimMapping.optional().describe('How a user name is taken from the token (spec.smm.auth.oidc.username).'),
    groups: ClaimMapping.optional().describe('How groups are taken from the token (spec.smm.auth.oidc.groups).'),
    requiredClaims: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('Claims a token must carry with these values to log in (spec.smm.auth.oidc.requiredClaims).'),
    kubectlImage: Image.describe(
      'An image with kubectl that a PostSync Job runs to copy the sealed client secret into the ControlPlane (whose field takes only a literal); pick one your clusters may pull.',
    ),
  })
  .describe('Dashboard login through an OIDC provider (docs 2.5.10.2); needs expose: true.');

/** Spread into the cluster's dashboard object (../schema.ts). */
export const DashboardExtras = {
  hostname: DnsSubdomain.optional().describe('Public DNS name of the dashboard, e.g. smm.example.org; announced to external-dns on the gateway Service.'),
  serviceType: z.enum(['LoadBalancer', 'NodePort']).optional().describe('Service type of the dashboard gateway. Default: LoadBalancer.'),
  nodePorts: z
    .strictObject({ http: NodePort.optional().describe('Node port for HTTP.'), https: NodePort.optional().describe('Node port for HTTPS.') })
    .optional()
    .describe('Node ports when serviceType is NodePort.'),
  serviceAnnotations: z
    .record(z.string().min(1), z.string())
    .optional()
    .describe('Extra annotations on the dashboard gateway Service, e.g. the AWS load balancer certificate.'),
  tls: DashboardTls.optional(),
  oidc: DashboardOidc.optional(),
};

type Dashboard = { expose: boolean; anonymous: boolean } & { [K in keyof typeof DashboardExtras]?: z.infer<(typeof DashboardExtras)[K]> };

/** Cross-field rules; `issue(path, message)` reports below the cluster's dashboard. */
export function checkDashboard(d: Dashboard, issue: (path: PropertyKey[], message: string) => void): void {
  const configured =
    d.hostname !== undefined || d.serviceType !== undefined || d.nodePorts !== undefined || d.serviceAnnotations !== undefined || d.tls !== undefined;
  if (configured && !d.expose) issue(['expose'], 'is false, so hostname, service and tls settings have no effect; set expose: true');
  if (d.expose && !d.anonymous && !d.tls) {
    issue(
      ['tls'],
      'an exposed dashboard logs in over HTTPS only, so without TLS every login fails (docs 2.5.10.1 known limitations); set tls, or anonymous: true for a demo',
    );
  }
  if (d.tls) {
    const ways = [d.tls.letsEncrypt !== undefined, d.tls.credentialName !== undefined, d.tls.externalTermination === true].filter(Boolean).length;
    if (ways !== 1) issue(['tls'], 'set exactly one of letsEncrypt, credentialName or externalTermination: true');
    if (d.tls.letsEncrypt !== undefined && !d.hostname) issue(['hostname'], "Let's Encrypt issues the certificate for this name; set it");
  }
  if (d.nodePorts && d.serviceType !== 'NodePort') issue(['nodePorts'], 'apply only with serviceType: NodePort');
  if (d.oidc && !d.expose) issue(['oidc'], 'OIDC login is for the exposed dashboard; set expose: true');
  if (d.oidc && d.anonymous) issue(['oidc'], 'anonymous: true turns login off; remove oidc or anonymous');
}
