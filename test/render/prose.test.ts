import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { mdCode, mdText } from '../../src/render/prose.js';
import { examplesDir } from '../../src/toolkit.js';
import { tempDir } from '../helpers.js';

const model = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8');
const kubectl = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

/**
 * Runs the trust script against fake clusters: `get` answers with the given objects (by default a
 * plain Cluster and Secret) through the real kubectl's offline printer, `patch --local` is the real
 * kubectl, and each `apply` records its arguments and the object it was given.
 */
function runTrustScript(script: string, env: Record<string, string>, objects?: { secret: object; cluster: object }) {
  const dir = tempDir();
  const f = join(dir, 's.sh');
  writeFileSync(f, script);
  const secret = objects?.secret ?? { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'n' }, type: 'Opaque', data: { a: 'Yg==' } };
  const cluster = objects?.cluster ?? { apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1', kind: 'Cluster', metadata: { name: 'n' }, spec: {} };
  writeFileSync(join(dir, 'secret.json'), JSON.stringify(secret));
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(cluster));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const real = kubectl ?? 'false';
  writeFileSync(
    join(bin, 'kubectl'),
    [
      '#!/bin/bash',
      'set -e',
      // The output format the script asked for (json, jsonpath=...), printed offline by kubectl.
      'out=json; prev=; for a in "$@"; do [ "$prev" = -o ] && out="$a"; prev="$a"; done',
      `case " $* " in`,
      `  *" patch --local "*) exec ${real} "$@" ;;`,
      `  *" get secret "*) exec ${real} patch --local -f ${dir}/secret.json --type merge -p '{}' -o "$out" ;;`,
      `  *" get clusters."*) exec ${real} patch --local -f ${dir}/cluster.json --type merge -p '{}' -o "$out" ;;`,
      `  *" apply "*) n=$(ls ${dir}/applied | wc -l); echo "$*" > ${dir}/applied/$n.args; cat > ${dir}/applied/$n.json ;;`,
      'esac',
    ].join('\n'),
    { mode: 0o755 },
  );
  mkdirSync(join(dir, 'applied'));
  execFileSync('bash', [f], { env: { PATH: `${bin}:/usr/bin:/bin`, ...env }, stdio: 'pipe' });
  const applies = readdirSync(join(dir, 'applied'))
    .filter((n) => n.endsWith('.args'))
    .sort((a, b) => parseInt(a) - parseInt(b))
    .map((n) => ({
      args: readFileSync(join(dir, 'applied', n), 'utf8').trim(),
      stdin: readFileSync(join(dir, 'applied', n.replace('.args', '.json')), 'utf8'),
    }));
  return { applies };
}

describe('generated prose and scripts', () => {
  it('writes a trust script that bash accepts and that visits every ordered cluster pair', () => {
    const script = renderRepo(parseFleet(model)).get('export-secrets.sh')!;
    expect(script.executable).toBe(true);
    const f = join(tempDir(), 's.sh');
    writeFileSync(f, script.content);
    execFileSync('bash', ['-n', f]);
    expect(script.content).toContain("clusters=('workload-cluster-1' 'workload-cluster-2')");
    const { applies } = runTrustScript(script.content, { KUBE_CONTEXT_WORKLOAD_CLUSTER_2: 'ctx-two' });
    expect(applies.map((a) => a.args)).toEqual([
      '--context ctx-two apply -f -',
      '--context ctx-two -n cluster-registry apply -f -',
      '--context workload-cluster-1 apply -f -',
      '--context workload-cluster-1 -n cluster-registry apply -f -',
    ]);
  });

  it.skipIf(!kubectl)("copies a hostile cluster's Secret only as itself, into the cluster-registry namespace", () => {
    const script = renderRepo(parseFleet(model)).get('export-secrets.sh')!.content;
    // A source cluster that answers with a Secret type and names meant to redirect the copy.
    const hostileType = 'x","metadata":{"name":"argocd-secret","namespace":"argocd"},"type":"y';
    const { applies } = runTrustScript(
      script,
      {},
      {
        secret: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'argocd-secret', namespace: 'argocd', uid: 'u', resourceVersion: '7', ownerReferences: [{ name: 'o' }], finalizers: ['f'] },
          type: hostileType,
          data: { 'a"b': 'dg==' },
          immutable: true,
        },
        cluster: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'cluster-admin', labels: { l: 'v' } },
          spec: { authInfo: { secretRef: { name: 'x' } } },
          status: { s: 1 },
        },
      },
    );
    const secrets = applies.filter((a) => a.args.includes(' -n ')).map((a) => JSON.parse(a.stdin));
    const clusters = applies.filter((a) => !a.args.includes(' -n ')).map((a) => JSON.parse(a.stdin));
    expect(secrets).toHaveLength(2);
    for (const [i, s] of secrets.entries()) {
      expect(s).toEqual({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `workload-cluster-${i + 1}`, namespace: 'cluster-registry' },
        type: hostileType,
        data: { 'a"b': 'dg==' },
      });
    }
    for (const [i, c] of clusters.entries()) {
      expect(c).toEqual({
        apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
        kind: 'Cluster',
        metadata: { name: `workload-cluster-${i + 1}` },
        spec: { authInfo: { secretRef: { name: 'x' } } },
      });
    }
  });

  it('keeps user text inert in the README: no Markdown or template injection', () => {
    // A git ref may hold backticks, angle brackets and pipes; the README must show it as typed.
    const hostile = model.replace('targetRevision: HEAD', "targetRevision: '{{evil}}`<img/src=x>`|x'");
    const readme = renderRepo(parseFleet(hostile)).get('README.md')!.content;
    expect(readme).toContain('at ``{{evil}}`<img/src=x>`|x``');
    expect(readme).toContain('| workload-cluster-2 | passive |');
  });

  it.each([
    ['plain-name', 'plain-name'],
    ['<script>alert(1)</script>', '\\<script\\>alert\\(1\\)\\</script\\>'],
    ['a | b', 'a \\| b'],
    ['line\n# heading', 'line \\# heading'],
    ['[x](javascript:y) ![i](u) *e* _u_ ~s~ &amp;', '\\[x\\]\\(javascript:y\\) \\!\\[i\\]\\(u\\) \\*e\\* \\_u\\_ \\~s\\~ \\&amp;'],
  ])('escapes Markdown text %j', (value, escaped) => {
    expect(mdText(value)).toBe(escaped);
  });

  it.each([
    ['HEAD', '`HEAD`'],
    ['a`b', '``a`b``'],
    ['`x``', '``` `x`` ```'],
    ['two\nlines', '`two lines`'],
  ])('fences inline code %j past its own backticks', (value, code) => {
    expect(mdCode(value)).toBe(code);
  });
});
