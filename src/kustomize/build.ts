/**
 * The real kustomize: standalone `kustomize` when it is on PATH, else `kubectl kustomize` (which
 * embeds it). Always through execFile with an argument array.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from '../errors.js';

export interface KustomizeTool {
  /** Human name, e.g. "kustomize" or "kubectl kustomize". */
  name: string;
  command: string;
  args: (dir: string, extra?: string[]) => string[];
}

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
    execFile(
      tool.command,
      tool.args(dir, extra),
      { maxBuffer: 256 * 1024 * 1024, timeout: 300_000, killSignal: 'SIGKILL', env: { ...process.env, KUSTOMIZE_PLUGIN_HOME: '/nonexistent' } },
      (err, stdout, stderr) => {
        resolvePromise({ dir, ok: !err, yaml: stdout, stderr: (stderr || (err && !stderr ? err.message : '')).trim() });
      },
    );
  });
}
