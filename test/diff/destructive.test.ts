/** What a model change makes Argo CD delete: a fixture table over real renders of the examples. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destructiveChanges, describeDestructive } from '../../src/diff/destructive.js';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { examplesDir } from '../../src/toolkit.js';

const example = (name: string) => readFileSync(join(examplesDir, name, 'calisti.yaml'), 'utf8');
const tree = (model: string) => new Map([...renderRepo(parseFleet(model))].map(([p, f]) => [p, f.content]));

type Row = [name: string, before: string, after: (t: Map<string, string>) => Map<string, string>, expected: string[]];

const withModel = (model: string) => () => tree(model);
const multi = example('multi-cluster');
const withoutWc2 = multi
  .replace(/ {2}- name: workload-cluster-2\n {4}role: passive\n( {4}.*\n)*?(?=\S)/, '')
  .replace(/ {4}- cluster: workload-cluster-2\n {6}components: \[.*\]\n/, '');

const rows: Row[] = [
  ['no change', multi, (t) => t, []],
  [
    'a cluster removed: its three Applications',
    multi,
    withModel(withoutWc2),
    ['Application smm-operator@workload-cluster-2', 'Application smm-controlplane@workload-cluster-2', 'Application demo-app@workload-cluster-2'].sort(),
  ],
  [
    'an in-place Istio swap: the in-use control plane goes',
    multi.replace('version: 1.12.0', 'version: 1.10.0'),
    withModel(multi),
    ['IstioControlPlane istio-system/cp-v113x'],
  ],
  [
    'a Namespace moved to another file is not removed',
    multi,
    (t) => {
      const next = new Map(t);
      const file = [...t.keys()].find((p) => /cert-manager-namespace\.yaml$/.test(p))!;
      const kustomization = file.replace(/[^/]+$/, 'kustomization.yaml');
      next.set(file.replace(/[^/]+$/, 'moved.yaml'), t.get(file)!);
      next.set(file, '');
      next.set(kustomization, t.get(kustomization)!.replace('resources:\n', 'resources:\n  - moved.yaml\n'));
      return next;
    },
    [],
  ],
  [
    'a Namespace whose file no kustomization lists any more',
    multi,
    (t) => {
      const next = new Map(t);
      const file = [...t.keys()].find((p) => /cert-manager-namespace\.yaml$/.test(p))!;
      next.set(
        file.replace(/[^/]+$/, 'kustomization.yaml'),
        t.get(file.replace(/[^/]+$/, 'kustomization.yaml'))!.replace(/ {2}- cert-manager-namespace\.yaml\n/, ''),
      );
      return next;
    },
    ['Namespace cert-manager'],
  ],
  [
    'a Namespace deleted by hand',
    multi,
    (t) => {
      const next = new Map(t);
      next.delete([...t.keys()].find((p) => /cert-manager-namespace\.yaml$/.test(p))!);
      return next;
    },
    ['Namespace cert-manager'],
  ],
];

describe('destructive changes', () => {
  it.each(rows)('%s', (_name, model, change, expected) => {
    const before = tree(model);
    const found = destructiveChanges(before, change(before));
    expect(found.map((d) => `${d.kind} ${d.name}`).sort()).toEqual(expected);
  });

  it("names what an Application's finalizer deletes", () => {
    const before = tree(multi);
    const [cp] = destructiveChanges(before, tree(withoutWc2)).filter((d) => d.name === 'smm-controlplane@workload-cluster-2');
    expect(cp!.deletes).toEqual(expect.arrayContaining(['ControlPlane/smm', 'Namespace/istio-system', 'Namespace/cert-manager']));
    expect(describeDestructive(cp!)).toMatch(
      /^the smm-controlplane Application of workload-cluster-2 \(manifests\/smm-controlplane\/overlays\/workload-cluster-2\/\) is removed: Argo CD's resources finalizer then deletes everything it deployed .*, among them .*ControlPlane\/smm/,
    );
  });
});
