/**
 * The generated README's picture mid-rollout: a ring on a newer release shows its own control planes,
 * and a namespace moved there with istio migrate --ring is drawn on the new one for that ring only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { modelGraph } from '../../src/graph/fleet.js';
import { parseFleet } from '../../src/model/load.js';
import { renderContext } from '../../src/render/context.js';
import { examplesDir } from '../../src/toolkit.js';

it('mid-rollout, each cluster is drawn with its ring release and per-cluster revisions', () => {
  const fleet = parseFleet(
    `${readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8')
      .replace('version: 1.12.0', 'version: 1.10.0')
      .replace('clusters:\n', 'istio: { revisions: [cp-v113x] }\nclusters:\n')
      .replace(
        'demoApp:\n',
        'demoApp:\n  revision: cp-v113x\n  clusterRevisions: { workload-cluster-1: cp-v115x }\n',
      )}rings: [{ name: canary, clusters: [workload-cluster-1], version: 1.11.0 }]\n`,
  );
  const graph = modelGraph(renderContext(fleet), ['workload-cluster-1', 'workload-cluster-2']);
  const drawn = Object.fromEntries(
    graph.networks
      .flatMap((n) => n.clusters)
      .map((c) => [c.name, c.revisions.map((r) => `${r.revision.split('.')[0]}@${r.version}:${r.namespaces.join(',')}`)]),
  );
  expect(drawn).toEqual({
    'workload-cluster-1': ['cp-v113x@1.13.5:', 'cp-v115x@1.15.3:smm-demo'],
    'workload-cluster-2': ['cp-v113x@1.13.5:smm-demo'],
  });
});
