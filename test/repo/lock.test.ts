import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDir, withRepoLock } from '../../src/repo/lock.js';
import { tempDir } from '../helpers.js';

function repo(): string {
  const dir = tempDir();
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}
const lock = (dir: string) => join(stateDir(dir), 'lock');

describe('repo lock', () => {
  it('never shows a half-written lock: a contender reading it finds a live owner', async () => {
    const dir = repo();
    await withRepoLock(dir, async () => {
      const info = JSON.parse(readFileSync(lock(dir), 'utf8'));
      expect(info.pid).toBe(process.pid);
      await expect(withRepoLockOther(dir)).rejects.toThrow(/another calisti-gitops run holds this repo/);
    });
    expect(existsSync(lock(dir))).toBe(false);
  });

  it('is released only by its owner: a lock taken over meanwhile stays', async () => {
    const dir = repo();
    const other = JSON.stringify({ pid: 1, host: (await import('node:os')).hostname(), started: 'later' });
    await withRepoLock(dir, async () => {
      writeFileSync(lock(dir), other); // another run took it over (e.g. after we were paused)
    });
    expect(readFileSync(lock(dir), 'utf8')).toBe(other);
  });

  it('takes over a dead run’s lock, also when it is empty, and leaves no temp files', async () => {
    const dir = repo();
    mkdirSync(stateDir(dir), { recursive: true });
    writeFileSync(lock(dir), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), started: 'x' }));
    expect(await withRepoLock(dir, async () => 'ran', 500)).toBe('ran');
    expect(execFileSync('ls', ['-A', stateDir(dir)], { encoding: 'utf8' }).trim()).toBe('');
  });
});

/** A second holder in another process (the lock is re-entrant within one). */
async function withRepoLockOther(dir: string): Promise<void> {
  const code = `import('${join(process.cwd(), 'dist/src/repo/lock.js')}').then(m => m.withRepoLock(${JSON.stringify(dir)}, async () => {}, 200)).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })`;
  try {
    execFileSync(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(String((e as { stderr: Buffer }).stderr));
  }
}
