/**
 * `validate --shard i/n` + `--merge`: a CI matrix gets the findings of one run. The fleet is broken in
 * two places, one cluster's overlay and one fleet-wide (meshID), so both per-cluster and fleet rules
 * must survive the split.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetModel } from '../../bench/fleet.js';
import { parseShard } from '../../src/validate/shard.js';
import { cli, tempDir } from '../helpers.js';

describe('validate --shard/--merge', () => {
  it('4 shards merged give exactly the findings and counts of one run', async () => {
    const dir = join(tempDir(), 'fleet');
    const model = join(tempDir(), 'calisti.yaml');
    writeFileSync(model, fleetModel(9));
    expect((await cli('init', dir, '-f', model)).code).toBe(0);
    // One cluster gets a different meshID (fleet rule), another an unknown field (per-cluster rule).
    const icp = (c: string) => join(dir, `manifests/smm-controlplane/overlays/${c}/istio-cp-v115x.yaml`);
    const clusters = readFileSync(join(dir, 'calisti.yaml'), 'utf8')
      .match(/- name: (cluster-\d+)/g)!
      .map((m) => m.slice(8));
    writeFileSync(icp(clusters[2]!), `${readFileSync(icp(clusters[2]!), 'utf8')}  meshID: other-mesh\n`);
    const overlay = join(dir, `manifests/smm-controlplane/overlays/${clusters[5]}`);
    writeFileSync(
      join(overlay, 'db.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: smm-system}\nstringData: {password: hunter2-but-longer}\n',
    );
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      readFileSync(join(overlay, 'kustomization.yaml'), 'utf8').replace('resources:\n', 'resources:\n  - db.yaml\n'),
    );

    const one = await cli('validate', '-C', dir, '-o', 'json');
    const whole = JSON.parse(one.stdout);
    expect(whole.findings.map((f: { rule: string }) => f.rule)).toEqual(expect.arrayContaining(['multicluster/mesh-id-mismatch', 'secret/plaintext']));
    const files: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const r = await cli('validate', '-C', dir, '--shard', `${i}/4`, '-o', 'json');
      const f = join(tempDir(), `shard-${i}.json`);
      writeFileSync(f, r.stdout);
      files.push(f);
      // No shard alone sees the meshID mismatch as a fleet finding.
      expect(JSON.parse(r.stdout).findings.some((x: { rule: string }) => x.rule === 'multicluster/mesh-id-mismatch')).toBe(false);
    }
    const merged = await cli('validate', '--merge', ...files, '-o', 'json');
    expect(merged.code).toBe(one.code);
    const m = JSON.parse(merged.stdout);
    expect(m.findings).toEqual(whole.findings);
    expect({ ...m.summary, cachedBuilds: 0, sharedBuilds: 0, builds: 0 }).toEqual({ ...whole.summary, cachedBuilds: 0, sharedBuilds: 0, builds: 0 });

    // A missing shard, a foreign file, or both flags at once are usage errors (exit 2).
    expect((await cli('validate', '--merge', ...files.slice(1))).stderr).toMatch(/missing shard\(s\) 1\/4/);
    writeFileSync(files[0]!, '{"version":1}');
    expect((await cli('validate', '--merge', ...files)).code).toBe(2);
    expect((await cli('validate', '-C', dir, '--shard', '1/2', '--merge', files[0]!)).code).toBe(2);
  });

  it('parses i/n and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(/expected i\/n/);
  });
});
