/**
 * Faults: a run killed at any write step leaves the repo, once the next run has started, either
 * exactly as before or exactly as after; two runs at once never interleave; a stale lock from a
 * killed run is taken over.
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headCommit } from '../../src/repo/git.js';
import { recover } from '../../src/repo/journal.js';
import { toolkitRoot } from '../../src/toolkit.js';
import { cli, conformance, describeWithConformance, snapshot, tempDir } from '../helpers.js';

const bin = join(toolkitRoot, 'bin', 'calisti-gitops');

async function repo(): Promise<string> {
  const dir = join(tempDir(), 'repo');
  expect((await cli('init', dir)).code).toBe(0);
  return dir;
}

const change = (dir: string) =>
  writeFileSync(
    join(dir, 'calisti.yaml'),
    readFileSync(join(dir, 'calisti.yaml'), 'utf8')
      .replace('    network: workload-cluster-2\n', '    network: network2\n')
      .replace('targetRevision: HEAD', 'targetRevision: main'),
  );

describe('crash safety', () => {
  it('a generate killed after any write step recovers to all-before or all-after', async () => {
    // The state after a clean run, for comparison.
    const ref = await repo();
    change(ref);
    expect((await cli('generate', '-C', ref)).code).toBe(0);
    const after = snapshot(ref);
    const steps = JSON.parse(
      (
        await cli(
          'generate',
          '-C',
          await (async () => {
            const d = await repo();
            change(d);
            return d;
          })(),
          '--no-commit',
          '-o',
          'json',
        )
      ).stdout,
    );
    const total = steps.created.length + steps.updated.length + steps.deleted.length + 2; // + state file + commit
    let sawBefore = false;
    let sawAfter = false;
    for (let n = 1; n <= total; n++) {
      const dir = await repo();
      change(dir);
      const before = snapshot(dir);
      const head = await headCommit(dir);
      const r = spawnSync(bin, ['generate', '-C', dir], { env: { ...process.env, CALISTI_GITOPS_KILL_AFTER_STEPS: String(n) }, encoding: 'utf8' });
      expect(r.signal, `step ${n}`).toBe('SIGKILL');
      await recover(dir);
      const now = snapshot(dir);
      if ((await headCommit(dir)) === head) {
        expect(now, `step ${n}: rolled back`).toEqual(before);
        sawBefore = true;
      } else {
        expect(now, `step ${n}: kept`).toEqual(after);
        sawAfter = true;
      }
    }
    expect(sawBefore && sawAfter).toBe(true);
  });
});

describe('Ctrl-C', () => {
  it('says what happened, and the next run says it undid the interrupted one', async () => {
    const dir = await repo();
    change(dir);
    const before = snapshot(dir);
    const r = spawnSync(bin, ['generate', '-C', dir], {
      env: { ...process.env, CALISTI_GITOPS_KILL_AFTER_STEPS: '2', CALISTI_GITOPS_KILL_SIGNAL: 'SIGINT' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/interrupted \(SIGINT\)\. If it was changing the repo, the next calisti-gitops run there finishes or undoes that change first/);
    const next = await cli('generate', '-C', dir, '--no-commit');
    expect(next.stderr).toMatch(/note: an interrupted run was found and (undone|finished)/);
    expect(snapshot(dir)).not.toEqual(before); // the next run then did its own work
  });
});

describe('crash safety of upgrade', () => {
  it('an upgrade killed at its first, middle or last write step recovers whole', async () => {
    for (const n of [1, 4, 9]) {
      const dir = join(tempDir(), 'repo');
      const model = join(tempDir(), 'm.yaml');
      writeFileSync(model, readFileSync(join(toolkitRoot, 'examples/multi-cluster/calisti.yaml'), 'utf8').replace('version: 1.12.0', 'version: 1.10.0'));
      expect((await cli('init', dir, '-f', model)).code).toBe(0);
      const before = snapshot(dir);
      const head = await headCommit(dir);
      const r = spawnSync(bin, ['upgrade', '--to', '1.11.0', '-C', dir], {
        env: { ...process.env, CALISTI_GITOPS_KILL_AFTER_STEPS: String(n) },
        encoding: 'utf8',
      });
      expect(r.signal).toBe('SIGKILL');
      await recover(dir);
      if ((await headCommit(dir)) === head) expect(snapshot(dir)).toEqual(before);
      else expect(readFileSync(join(dir, 'calisti.yaml'), 'utf8')).toContain('version: 1.11.0');
      // The next upgrade finishes the job.
      expect((await cli('upgrade', '--to', '1.11.0', '-C', dir)).code).toBe(0);
      expect((await cli('diff', '-C', dir)).code).toBe(0);
    }
  });
});

describeWithConformance('crash safety of seal', () => {
  it('a seal killed while writing recovers whole, and never leaves a credential behind', async () => {
    for (const n of [1, 3]) {
      const dir = await repo();
      const before = snapshot(dir);
      const head = await headCommit(dir);
      const env = { ...process.env, CALISTI_USERNAME: 'crash-user', CALISTI_PASSWORD: 'crash-Pa55-word', CALISTI_GITOPS_KILL_AFTER_STEPS: String(n) };
      const r = spawnSync(bin, ['seal', '--cert', conformance('sealed-secrets', 'cert.pem'), '-C', dir], { env, encoding: 'utf8' });
      expect(r.signal).toBe('SIGKILL');
      await recover(dir);
      if ((await headCommit(dir)) === head) expect(snapshot(dir)).toEqual(before);
      else expect(readFileSync(join(dir, 'sealed-secrets.yaml'), 'utf8')).toContain('encryptedData');
      expect([...snapshot(dir).values()].join('\n')).not.toContain('crash-Pa55-word');
      // Recovery cleared the journal, which only ever held ciphertext and generated files anyway.
      expect(existsSync(join(dir, '.git/calisti-gitops/journal.json'))).toBe(false);
    }
  });
});

describe('concurrent runs', () => {
  it('a second run waits for the lock, then fails clearly; the repo is not corrupted', async () => {
    const dir = await repo();
    change(dir);
    mkdirSync(join(dir, '.git/calisti-gitops'), { recursive: true });
    // A live holder: this test process.
    writeFileSync(join(dir, '.git/calisti-gitops/lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), started: 'now' }));
    const before = snapshot(dir);
    const r = spawnSync(bin, ['generate', '-C', dir], { env: { ...process.env, CALISTI_GITOPS_LOCK_WAIT_MS: '300' }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/another calisti-gitops run holds this repo \(pid \d+/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('takes over a stale lock left by a killed run', async () => {
    const dir = await repo();
    change(dir);
    mkdirSync(join(dir, '.git/calisti-gitops'), { recursive: true });
    const dead = spawnSync('true').pid!;
    writeFileSync(join(dir, '.git/calisti-gitops/lock'), JSON.stringify({ pid: dead, host: (await import('node:os')).hostname(), started: 'then' }));
    expect((await cli('generate', '-C', dir)).code).toBe(0);
  });

  it('two generates started together both succeed, one after the other', async () => {
    const dir = await repo();
    change(dir);
    const run = () => new Promise<number>((res) => spawn(bin, ['generate', '-C', dir], { stdio: 'ignore' }).on('exit', (c) => res(c ?? -1)));
    const codes = await Promise.all([run(), run()]);
    expect(codes).toEqual([0, 0]);
    expect((await cli('generate', '-C', dir, '-o', 'json')).stdout).toMatch(/"changed": false/);
  });
});
