/** Where a ring-by-ring rollout stands (outdated's rings and nextRing), one row per stage of a rollout. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/model/load.js';
import { examplesDir } from '../../src/toolkit.js';
import { rollout } from '../../src/upgrade/rollout.js';

const THREE = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8').replace('demoApp:\n', '  - { name: wc3, role: passive }\ndemoApp:\n');
const fleet = (version: string, rings: string, revisions = '') =>
  parseFleet(`${THREE.replace('version: 1.12.0', `version: ${version}`).replace('clusters:\n', `${revisions}clusters:\n`)}rings:\n${rings}`);
const KEPT = 'istio: { revisions: [cp-v113x] }\n';

describe('rollout', () => {
  it.each([
    [
      'before: the first ring is next, every ring can move',
      fleet('1.10.0', '  - { name: canary, clusters: [workload-cluster-1] }\n  - { name: rest, clusters: [workload-cluster-2] }\n'),
      '1.11.0',
      [
        ['canary', '1.10.0', 'cp-v113x', '1.11.0'],
        ['rest', '1.10.0', 'cp-v113x', '1.11.0'],
        [null, '1.10.0', 'cp-v113x', '1.11.0'],
      ],
      'calisti-gitops upgrade --to 1.11.0 --ring canary',
    ],
    [
      'mid-rollout: the canary is ahead and waits; the next ring is rest',
      fleet('1.10.0', '  - { name: canary, clusters: [workload-cluster-1], version: 1.11.0 }\n  - { name: rest, clusters: [workload-cluster-2] }\n', KEPT),
      '1.11.0',
      [
        ['canary', '1.11.0', 'cp-v115x', null],
        ['rest', '1.10.0', 'cp-v113x', '1.11.0'],
        [null, '1.10.0', 'cp-v113x', '1.11.0'],
      ],
      'calisti-gitops upgrade --to 1.11.0 --ring rest',
    ],
    [
      'every ring done: the clusters in no ring come last, without --ring',
      fleet(
        '1.10.0',
        '  - { name: canary, clusters: [workload-cluster-1], version: 1.11.0 }\n  - { name: rest, clusters: [workload-cluster-2], version: 1.11.0 }\n',
        KEPT,
      ),
      '1.11.0',
      [
        ['canary', '1.11.0', 'cp-v115x', null],
        ['rest', '1.11.0', 'cp-v115x', null],
        [null, '1.10.0', 'cp-v113x', '1.11.0'],
      ],
      'calisti-gitops upgrade --to 1.11.0',
    ],
    [
      'a patch rollout: the target is the newest release a ring runs',
      fleet('1.11.0', '  - { name: canary, clusters: [workload-cluster-1, workload-cluster-2, wc3] }\n'),
      '1.12.0',
      [['canary', '1.11.0', 'cp-v115x', '1.12.0']],
      'calisti-gitops upgrade --to 1.12.0 --ring canary',
    ],
    ['at the newest release: nothing to do', fleet('1.12.0', '  - { name: canary, clusters: [workload-cluster-1] }\n'), null, expect.any(Array), null],
  ])('%s', (_what, f, target, rings, command) => {
    const r = rollout(f);
    expect(r.target).toBe(target);
    if (Array.isArray(rings)) expect(r.rings.map((x) => [x.name, x.calisti, x.revision, x.next])).toEqual(rings);
    expect(r.nextRing?.command ?? null).toBe(command);
  });
});
