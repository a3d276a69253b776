/**
 * Exposing the dashboard for real (docs 2.5.10.1): its host name, Service and TLS (Let's Encrypt,
 * a certificate of your own, or termination on the load balancer). Spread into the cluster's
 * `dashboard` in ../schema.ts; checkDashboard holds the docs' rule that an exposed dashboard
 * needs HTTPS somewhere.
 */
import { z } from 'zod';
import { DnsSubdomain } from '../names.js';

const NodePort = z.number().int().min(30000).max(65535);

export const DashboardTls = z
  .strictObject({
    letsEncrypt: z
      .union([z.literal(true), z.strictObject({ server: z.url({ protocol: /^https$/ }).describe('ACME directory, e.g. Let\'s Encrypt staging for tests.') })])
      .optional()
      .describe('Certificate for hostname from Let\'s Encrypt (true, or the ACME server to use).'),
    credentialName: DnsSubdomain.optional().describe('A TLS Secret of your own in smm-system instead (docs: custom TLS credentials).'),
    externalTermination: z.boolean().optional().describe('The load balancer terminates TLS; the gateway serves plain HTTP on 443 (set the load balancer\'s annotations in serviceAnnotations).'),
  })
  .describe('Where TLS for the exposed dashboard is terminated; the dashboard logs in over HTTPS only.');

/** Spread into the cluster's dashboard object (../schema.ts). */
export const DashboardExtras = {
  hostname: DnsSubdomain.optional().describe('Public DNS name of the dashboard, e.g. smm.example.org; announced to external-dns on the gateway Service.'),
  serviceType: z.enum(['LoadBalancer', 'NodePort']).optional().describe('Service type of the dashboard gateway. Default: LoadBalancer.'),
  nodePorts: z
    .strictObject({ http: NodePort.optional().describe('Node port for HTTP.'), https: NodePort.optional().describe('Node port for HTTPS.') })
    .optional()
    .describe('Node ports when serviceType is NodePort.'),
  serviceAnnotations: z.record(z.string().min(1), z.string()).optional().describe('Extra annotations on the dashboard gateway Service, e.g. the AWS load balancer certificate.'),
  tls: DashboardTls.optional(),
};

type Dashboard = { expose: boolean; anonymous: boolean } & { [K in keyof typeof DashboardExtras]?: z.infer<(typeof DashboardExtras)[K]> };

/** Cross-field rules; `issue(path, message)` reports below the cluster's dashboard. */
export function checkDashboard(d: Dashboard, issue: (path: PropertyKey[], message: string) => void): void {
  const configured = d.hostname !== undefined || d.serviceType !== undefined || d.nodePorts !== undefined || d.serviceAnnotations !== undefined || d.tls !== undefined;
  if (configured && !d.expose) issue(['expose'], 'is false, so hostname, service and tls settings have no effect; set expose: true');
  if (d.expose && !d.anonymous && !d.tls) {
    issue(['tls'], 'an exposed dashboard logs in over HTTPS only, so without TLS every login fails (docs 2.5.10.1 known limitations); set tls, or anonymous: true for a demo');
  }
  if (d.tls) {
    const ways = [d.tls.letsEncrypt !== undefined, d.tls.credentialName !== undefined, d.tls.externalTermination === true].filter(Boolean).length;
    if (ways !== 1) issue(['tls'], 'set exactly one of letsEncrypt, credentialName or externalTermination: true');
    if (d.tls.letsEncrypt !== undefined && !d.hostname) issue(['hostname'], 'Let\'s Encrypt issues the certificate for this name; set it');
  }
  if (d.nodePorts && d.serviceType !== 'NodePort') issue(['nodePorts'], 'apply only with serviceType: NodePort');
}
