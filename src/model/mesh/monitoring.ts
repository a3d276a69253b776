/**
 * Production monitoring (docs 2.10.2): Prometheus on persistent volumes, the monitoring stack in high
 * availability, and the Alertmanagers SLO alerts go to. Spread into a cluster as `monitoring` in
 * ../schema.ts; rendered into that cluster's ControlPlane patch, under the cluster's own overrides.
 */
import { z } from 'zod';

const Quantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, 'must be a Kubernetes quantity, e.g. 50Gi');
const Duration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'must be a Prometheus duration, e.g. 15d');

export const Monitoring = z
  .strictObject({
    production: z
      .boolean()
      .default(false)
      .describe("The docs' production profile (2.10.2): high availability on, and Prometheus needs persistent storage (prometheus.storage)."),
    highAvailability: z
      .boolean()
      .optional()
      .describe('Run the monitoring stack with several Prometheus instances (spec.smm.highAvailability.enabled, 2.10.2.2). Default: production.'),
    prometheus: z
      .strictObject({
        storage: z
          .strictObject({
            storageClassName: z.string().min(1).describe('Storage class of the persistent volumes (kubectl get storageclass), e.g. gp2 on EKS.'),
            size: Quantity.default('50Gi').describe('Space each Prometheus instance claims.'),
          })
          .optional()
          .describe('Persistent volumes for Prometheus (spec.smm.prometheus.storage, 2.10.2.1): SLO data survives a restart.'),
        retentionTime: Duration.optional().describe('How long Prometheus keeps metrics (spec.smm.prometheus.retentionTime).'),
      })
      .prefault({})
      .describe("Prometheus of this cluster's Calisti control plane."),
    alertmanagers: z
      .array(
        z.strictObject({
          host: z.string().min(1).describe('Alertmanager host name (FQDN).'),
          port: z.number().int().min(1).max(65535).default(9093).describe('Alertmanager port.'),
        }),
      )
      .optional()
      .describe('Alertmanagers Prometheus sends SLO alerts to (spec.smm.prometheus.alertmanager.static, 2.10.2.3-4).'),
  })
  .superRefine((m, ctx) => {
    if (m.production && !m.prometheus.storage) {
      ctx.addIssue({
        code: 'custom',
        path: ['prometheus', 'storage'],
        message: 'the production profile keeps Prometheus on persistent volumes: set prometheus.storage.storageClassName (docs 2.10.2.1)',
      });
    }
  })
  .optional()
  .describe('Production monitoring for SLOs and alerting (docs 2.10.2).');
export type Monitoring = z.infer<typeof Monitoring>;

/** The ControlPlane `spec` fields a cluster's monitoring sets; the cluster's overrides go on top. */
export function monitoringSpec(m: Monitoring): Record<string, unknown> {
  if (!m) return {};
  const ha = m.highAvailability ?? m.production;
  const storage = m.prometheus.storage;
  const prometheus: Record<string, unknown> = {
    ...(storage
      ? {
          storage: { spec: { accessModes: ['ReadWriteOnce'], storageClassName: storage.storageClassName, resources: { requests: { storage: storage.size } } } },
        }
      : {}),
    ...(m.prometheus.retentionTime ? { retentionTime: m.prometheus.retentionTime } : {}),
    ...(m.alertmanagers?.length ? { alertmanager: { static: m.alertmanagers.map((a) => ({ host: a.host, port: a.port })) } } : {}),
  };
  const smm = { ...(ha ? { highAvailability: { enabled: true } } : {}), ...(Object.keys(prometheus).length ? { prometheus } : {}) };
  return Object.keys(smm).length ? { smm } : {};
}
