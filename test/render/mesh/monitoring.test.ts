/** Production monitoring (docs 2.10.2): the docs' ControlPlane patches from the model, built with kustomize. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ModelError } from '../../../src/errors.js';
import { parseFleet } from '../../../src/model/load.js';
import { checkResource } from '../../../src/validate/structural.js';
import { schemasDir } from '../../../src/toolkit.js';
import { fleetModel, renderToDisk } from './render.js';

const fleet = (cluster: string) => fleetModel(`  - name: c1\n${cluster}`, '');
async function smmSpec(cluster: string): Promise<Record<string, any>> {
  const objs = await renderToDisk(fleet(cluster)).build('manifests/smm-controlplane/overlays/c1');
  return objs.find((o) => o.kind === 'ControlPlane')!;
}
const controlPlaneSchema = parse(readFileSync(join(schemasDir, 'smm.cisco.com_controlplanes.yaml'), 'utf8')).spec.versions[0].schema.openAPIV3Schema;

describe('production monitoring', () => {
  it('the production profile: HA on, Prometheus on persistent volumes, Alertmanagers, as 2.10.2.1-2.10.2.4 patch it', async () => {
    const cp = await smmSpec(
      '    monitoring:\n      production: true\n      prometheus:\n        storage: {storageClassName: gp2}\n        retentionTime: 15d\n      alertmanagers:\n        - host: alertmanager-smm-alertmanager-0.alertmanager-operated.smm-system.svc.cluster.local\n',
    );
    expect(cp.spec.smm.highAvailability).toEqual({ enabled: true });
    expect(cp.spec.smm.prometheus).toMatchObject({
      enabled: true,
      retentionTime: '15d',
      storage: { spec: { storageClassName: 'gp2', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } },
      alertmanager: { static: [{ host: 'alertmanager-smm-alertmanager-0.alertmanager-operated.smm-system.svc.cluster.local', port: 9093 }] },
    });
    expect(checkResource(cp, controlPlaneSchema)).toEqual([]);
  });

  it("the cluster's overrides win over its monitoring, field by field", async () => {
    const cp = await smmSpec(
      '    monitoring:\n      highAvailability: true\n      prometheus: {storage: {storageClassName: gp2, size: 10Gi}}\n    overrides:\n      controlPlane:\n        smm:\n          prometheus:\n            storage: {spec: {storageClassName: fast}}\n',
    );
    expect(cp.spec.smm.highAvailability).toEqual({ enabled: true });
    expect(cp.spec.smm.prometheus.storage.spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } });
  });

  it('without monitoring the ControlPlane is as before; production without storage is a located error', async () => {
    const cp = await smmSpec('    role: active\n');
    expect(cp.spec.smm.highAvailability).toBeUndefined();
    try {
      parseFleet(fleet('    monitoring: {production: true}\n'), 'calisti.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      expect((e as ModelError).message).toMatch(
        /clusters\[0\]\.monitoring\.prometheus\.storage: the production profile keeps Prometheus on persistent volumes/,
      );
    }
  });
});
