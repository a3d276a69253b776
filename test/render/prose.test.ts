import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { examplesDir } from '../../src/toolkit.js';
import { tempDir } from '../helpers.js';

const model = readFileSync(join(examplesDir, 'multi-cluster', 'calisti.yaml'), 'utf8');

describe('generated prose and scripts', () => {
  it('writes a trust script that bash accepts and that visits every ordered cluster pair', () => {
    const script = renderRepo(parseFleet(model)).get('export-secrets.sh')!;
    expect(script.executable).toBe(true);
    const f = join(tempDir(), 's.sh');
    writeFileSync(f, script.content);
    execFileSync('bash', ['-n', f]);
    expect(script.content).toContain("clusters=('workload-cluster-1' 'workload-cluster-2')");
    // Run it against a fake kubectl that records its arguments.
    const bin = tempDir();
    const log = join(bin, 'log');
    writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\necho "$@" >> ${log}\ncase "$*" in *jsonpath={.type}*) printf Opaque;; *jsonpath=*) printf '{"a":"b"}';; *) cat > /dev/null;; esac\n`, { mode: 0o755 });
    execFileSync('bash', [f], { env: { PATH: `${bin}:/usr/bin:/bin`, KUBE_CONTEXT_WORKLOAD_CLUSTER_2: 'ctx-two' } });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.filter((c) => c.includes(' apply '))).toEqual([
      '--context ctx-two apply -f -',
      '--context ctx-two apply -f -',
      '--context workload-cluster-1 apply -f -',
      '--context workload-cluster-1 apply -f -',
    ]);
  });

  it('keeps user text inert in the README: no Markdown or template injection', () => {
    const hostile = model.replace('https://github.com/github-id/calisti-gitops.git', 'https://x.example/{{evil}}`<img/src=x>`.git');
    const readme = renderRepo(parseFleet(hostile)).get('README.md')!.content;
    // Inside a code span that its own backticks cannot close: shown as text, never as HTML.
    expect(readme).toContain('Git: `` https://x.example/{{evil}}`<img/src=x>`.git `` at `HEAD`');
    expect(readme).toContain('| workload-cluster-2 | passive |');
  });
});
