/**
 * The schema catalogue: `schemas pull` fetches the CRDs the release pins (istio-operator) into a cache,
 * from a stand-in HTTP server here; validate then checks those kinds offline, and says how to fill the
 * cache while it is empty.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, conformance, hasConformance, tempDir } from '../helpers.js';

const MINIMAL_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: istiocontrolplanes.servicemesh.cisco.com}
spec:
  group: servicemesh.cisco.com
  names: {kind: IstioControlPlane, plural: istiocontrolplanes}
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

let server: Server;
let base = '';
const requests: string[] = [];
let body = MINIMAL_CRD;
const cacheBefore = process.env.CALISTI_GITOPS_CACHE;

beforeAll(async () => {
  process.env.CALISTI_GITOPS_CACHE = tempDir();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(req.url?.includes('missing') ? 404 : 200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  if (cacheBefore === undefined) delete process.env.CALISTI_GITOPS_CACHE;
  else process.env.CALISTI_GITOPS_CACHE = cacheBefore;
});

const unknownKinds = async (dir: string) =>
  (JSON.parse((await cli('validate', '-C', dir, '-o', 'json')).stdout).findings as { rule: string; message: string }[]).filter(
    (f) => f.rule === 'schema/unknown-kind',
  );

describe('schemas pull', () => {
  it('fills the cache with the pinned CRDs; validate then checks those kinds offline', async () => {
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const before = await unknownKinds(dir);
    expect(before.map((f) => f.message)).toEqual([expect.stringMatching(/IstioControlPlane: not checked \(run calisti-gitops schemas pull/)]);

    const r = await cli('schemas', 'pull', '-C', dir, '--location', `${base}/{ref}/crds.yaml`, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const pulled = JSON.parse(r.stdout) as { ref: string; file: string; kinds: string[] }[];
    expect(pulled.map((p) => p.ref)).toEqual(['v2.13.6', 'v2.15.11']); // the operators of the release's Istio versions
    expect(requests).toEqual(['/v2.13.6/crds.yaml', '/v2.15.11/crds.yaml']);
    expect(pulled.every((p) => existsSync(p.file) && p.kinds.includes('IstioControlPlane'))).toBe(true);
    expect(await unknownKinds(dir)).toEqual([]);
  });

  it('refuses what is not the CRDs it expects, or cannot be fetched, and caches nothing', async () => {
    process.env.CALISTI_GITOPS_CACHE = tempDir();
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    body = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';
    const wrong = await cli('schemas', 'pull', '-C', dir, '--location', `${base}/{ref}/crds.yaml`);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/holds no CustomResourceDefinition of servicemesh\.cisco\.com/);
    const missing = await cli('schemas', 'pull', '-C', dir, '--location', `${base}/missing/{ref}`);
    expect(missing.stderr).toMatch(/HTTP 404/);
    expect((await unknownKinds(dir)).length).toBe(1);
    body = MINIMAL_CRD;
  });

  it.skipIf(!hasConformance)("with istio-operator v2.15.12's real CRDs, an unknown field in an IstioControlPlane override is an error", async () => {
    process.env.CALISTI_GITOPS_CACHE = tempDir();
    const dir = join(tempDir(), 'repo');
    expect((await cli('init', dir)).code).toBe(0);
    const crds = join(tempDir(), 'crds.yaml');
    writeFileSync(crds, readFileSync(conformance('istio-operator', 'istio-operator-crds.gen.yaml')));
    expect((await cli('schemas', 'pull', '-C', dir, '--location', crds)).code).toBe(0);
    const icp = join(dir, 'manifests/smm-controlplane/overlays/workload-cluster-1/istio-cp-v115x.yaml');
    writeFileSync(icp, readFileSync(icp, 'utf8').replace('spec:\n', 'spec:\n  bogusField: 1\n'));
    const rules = (JSON.parse((await cli('validate', '-C', dir, '-o', 'json')).stdout).findings as { rule: string }[]).map((f) => f.rule);
    expect(rules).toContain('schema/unknown-field');
    expect(rules).not.toContain('schema/unknown-kind');
  });
});
