/**
 * The real kustomize: standalone `kustomize` when it is on PATH, else `kubectl kustomize` (which
 * embeds it). Always through execFile with an argument array.
 */
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from '../errors.js';

export interface KustomizeTool {
  /** Human name, e.g. "kustomize" or "kubectl kustomize". */
  name: string;
  command: string;
  args: (dir: string, extra?: string[]) => string[];
  /** May kustomize fetch remote resources? Off unless asked: a pull request would choose the host. */
  network?: boolean;
}

/** Kustomize's version (kubectl reports the one it embeds), for build cache keys; memoized per binary. */
const versions = new Map<string, string>();
export function kustomizeVersion(tool: KustomizeTool): string {
  let v = versions.get(tool.command);
  if (v === undefined) {
    try {
      const args = tool.name === 'kustomize' ? ['version'] : ['version', '--client', '-o', 'json'];
      const out = execFileSync(tool.command, args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] });
      v = tool.name === 'kustomize' ? out.trim() : String((JSON.parse(out) as { kustomizeVersion?: string }).kustomizeVersion ?? out.trim());
    } catch {
      v = 'unknown';
    }
    versions.set(tool.command, v);
  }
  return v;
}

/** Environment that makes any fetch fail fast: HTTP through a closed local port, git over file:// only. */
const OFFLINE_ENV = { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '', GIT_ALLOW_PROTOCOL: 'file', GIT_TERMINAL_PROMPT: '0' };

/** A build that runs longer than this is killed: no input of ours takes minutes. */
const BUILD_TIMEOUT_MS = 10 * 60 * 1000;

export function which(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function findKustomize(path?: string): KustomizeTool {
  const standalone = which('kustomize', path);
  if (standalone) return { name: 'kustomize', command: standalone, args: (dir, extra = []) => ['build', ...extra, dir] };
  const kubectl = which('kubectl', path);
  if (kubectl) return { name: 'kubectl kustomize', command: kubectl, args: (dir, extra = []) => ['kustomize', ...extra, dir] };
  throw new UsageError(
    'neither kustomize nor kubectl is on PATH',
    'install kubectl (it embeds kustomize: https://kubernetes.io/docs/tasks/tools/) or kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/)',
  );
}

export interface BuildResult {
  dir: string;
  ok: boolean;
  yaml: string;
  /** What kustomize printed on stderr: warnings on success, the error otherwise. */
  stderr: string;
}

export function kustomizeBuild(tool: KustomizeTool, dir: string, extra: string[] = []): Promise<BuildResult> {
  return new Promise((resolvePromise) => {
    const env = { ...process.env, KUSTOMIZE_PLUGIN_HOME: '/nonexistent', ...(tool.network ? {} : OFFLINE_ENV) };
    execFile(tool.command, tool.args(dir, extra), { maxBuffer: 256 * 1024 * 1024, env, timeout: BUILD_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      resolvePromise({ dir, ok: !err, yaml: stdout, stderr: (stderr || (err && !stderr ? err.message : '')).trim() });
    });
  });
}
