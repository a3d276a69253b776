/**
 * Property-based: every valid model renders deterministically into a repo that builds and
 * validates clean; every broken model gives a located ModelError, never a crash.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ModelError } from '../../src/errors.js';
import { parseFleet } from '../../src/model/load.js';
import { DEMO_COMPONENTS } from '../../src/model/schema.js';
import { renderRepo } from '../../src/render/index.js';
import { runValidate } from '../../src/validate/index.js';
import { CRD_PATHS, tempDir } from '../helpers.js';

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/).filter((s) => !s.includes('--'));

const fleetArb = fc
  .uniqueArray(label, { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.record({
      version: fc.constantFrom('1.9.1', '1.10.0', '1.11.0', '1.12.0'),
      clusters: fc.tuple(
        ...names.map((name, i) =>
          fc.record({
            name: fc.constant(name),
            role: i === 0 ? fc.constant('active' as const) : fc.constantFrom('active' as const, 'passive' as const),
            platform: fc.constantFrom('kubernetes', 'openshift'),
            network: fc.option(label, { nil: undefined }),
          }),
        ),
      ),
      demo: fc.option(
        fc
          .subarray(names, { minLength: 1 })
          .chain((cs) =>
            fc.tuple(fc.constant(cs), fc.array(fc.subarray([...DEMO_COMPONENTS], { minLength: 1 }), { minLength: cs.length, maxLength: cs.length })),
          ),
        { nil: undefined },
      ),
      gateway: fc.option(fc.subarray(names, { minLength: 1 }), { nil: undefined }),
      meshID: label,
    }),
  )
  .map((f) =>
    stringify({
      apiVersion: 'calisti-gitops.io/v1alpha1',
      kind: 'Fleet',
      calisti: { version: f.version },
      git: { repoURL: 'https://git.example.com/fleet.git' },
      istio: { meshID: f.meshID },
      clusters: f.clusters.map((c) => ({ name: c.name, role: c.role, platform: c.platform, ...(c.network ? { network: c.network } : {}) })),
      ...(f.gateway ? { gateways: [{ name: 'edge', namespace: 'edge-gw', clusters: f.gateway, ports: [{ name: 'http', port: 8080 }] }] } : {}),
      ...(f.demo ? { demoApp: { placement: f.demo[0].map((cluster, i) => ({ cluster, components: f.demo![1][i] })) } } : {}),
    }),
  );

function writeTree(model: string): string {
  const dir = tempDir('calisti-prop-');
  for (const [p, f] of renderRepo(parseFleet(model))) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), f.content);
  }
  writeFileSync(join(dir, 'calisti.yaml'), model);
  return dir;
}

describe('valid models', () => {
  it('render the same bytes twice', () => {
    fc.assert(
      fc.property(fleetArb, (model) => {
        const a = renderRepo(parseFleet(model));
        const b = renderRepo(parseFleet(model));
        expect([...a]).toEqual([...b]);
      }),
      { numRuns: 60 },
    );
  });

  it('generate repos that build and validate with no errors', async () => {
    await fc.assert(
      fc.asyncProperty(fleetArb, async (model) => {
        const r = await runValidate({ dir: writeTree(model), strict: false, crds: CRD_PATHS, cacheDir: null });
        // Several active SMM control planes are a valid model (the guide's active-active step) that 2.7.1 warns about.
        const bad = r.findings.filter((f) => f.severity !== 'info' && f.rule !== 'secret/unsealed-placeholder' && f.rule !== 'controlplane/multiple-active');
        expect(bad, model).toEqual([]);
      }),
      { numRuns: 6 },
    );
  }, 180_000);
});

const mutations: ((text: string, rnd: string) => string)[] = [
  (t, s) => t.replace(/name: [a-z0-9-]+/, `name: ${JSON.stringify(`${s}/..`)}`),
  (t, s) => t.replace(/role: (active|passive)/, `role: ${JSON.stringify(`x${s}`)}`),
  (t) => t.replace(/^git:\n( {2}.*\n)+/m, ''),
  (t, s) => t.replace('clusters:\n', `clusters:\n  - name: dup\n    rolle: ${JSON.stringify(s)}\n`),
  (t) => t.replace(/version: [0-9.]+/, 'version: 9.9.9'),
  (t, s) => `${t}\nunknown${s.replace(/[^a-z]/g, '')}Key: 1\n`,
];

describe('broken models', () => {
  it('always give a located ModelError', () => {
    fc.assert(
      fc.property(fleetArb, fc.nat(mutations.length - 1), fc.string({ minLength: 1, maxLength: 8 }), (model, m, s) => {
        const broken = mutations[m]!(model, s);
        try {
          parseFleet(broken);
        } catch (e) {
          expect(e).toBeInstanceOf(ModelError);
          for (const p of (e as ModelError).problems) {
            expect(p.line).toBeGreaterThanOrEqual(1);
            expect(p.col).toBeGreaterThanOrEqual(1);
          }
          return;
        }
        throw new Error(`accepted a broken model:\n${broken}`);
      }),
      { numRuns: 200 },
    );
  });

  it('never crash on arbitrary text or truncated YAML', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fleetArb.chain((m) => fc.nat(m.length).map((n) => m.slice(0, n))),
        ),
        (text) => {
          try {
            parseFleet(text);
          } catch (e) {
            expect(e).toBeInstanceOf(ModelError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survive deep nesting, huge files and bytes that are not UTF-8', () => {
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    expect(() => parseFleet(deep)).toThrow(ModelError);
    expect(() => parseFleet(`a: ${'x'.repeat(11 * 1024 * 1024)}`)).toThrow(/larger than/);
    expect(() => parseFleet(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]).toString('utf8'))).toThrow(/not valid UTF-8/);
  });
});
