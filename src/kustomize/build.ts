/**
 * The real kustomize: standalone `kustomize` when it is on PATH, else `kubectl kustomize` (which
 * embeds it). Always through execFile with an argument array.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from '../errors.js';
import { killOnExit } from '../exit-cleanup.js';

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
  /**
   * The failure is this machine's, not the inputs': the memory cap, prlimit itself, the time limit.
   * Never cached, and a report holding one is not remembered.
   */
  machine?: boolean;
}

/** The largest cap taken from the environment: 1 TiB (prlimit reads bytes as a 64-bit number). */
const MAX_MIB = 1024 * 1024;

/**
 * The address space a build may take, in MiB. A YAML alias bomb in a file kustomize reads expands
 * without bound (kustomize took 2.3 GB in 6 s on one here); a pull request can commit one. Go
 * reserves about 0.6 GB at start, and real builds stay far below the cap.
 */
export function buildMemoryMiB(env = process.env): number {
  const n = Number(env.CALISTI_GITOPS_BUILD_MEMORY_MB);
  return Number.isInteger(n) && n >= 1024 && n <= MAX_MIB ? n : 4096;
}

/**
 * Whether this process already runs under an address-space limit (`ulimit -v`, systemd's LimitAS):
 * its builds inherit it, and prlimit could not raise the hard one. From /proc/self/limits.
 */
export function inheritedLimit(limits: string | undefined): boolean {
  const label = 'Max address space';
  const line = limits?.split('\n').find((l) => l.startsWith(label));
  // Columns: soft limit, hard limit, units. The soft one is what a child starts under.
  const soft = line?.slice(label.length).trim().split(/\s+/)[0];
  return soft !== undefined && soft !== 'unlimited';
}

let prlimitPath: string | null | undefined;
/** The prlimit that caps builds: util-linux's, on Linux, unless a limit is already inherited. */
function prlimit(): string | null {
  if (prlimitPath === undefined) {
    let limits: string | undefined;
    try {
      limits = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      limits = undefined;
    }
    prlimitPath = (process.platform === 'linux' && !inheritedLimit(limits) && which('prlimit')) || null;
  }
  return prlimitPath;
}

/** A Go tool's command line under the memory cap (kustomize, helm): prlimit's, when it applies. */
export function capped(command: string, args: string[]): [string, string[]] {
  const cap = prlimit();
  return cap ? [cap, [`--as=${buildMemoryMiB() * 1024 * 1024}`, '--', command, ...args]] : [command, args];
}

/** Go's words when memory runs out (the rest of its report is a goroutine dump). */
const OUT_OF_MEMORY = /^(fatal error: (runtime: )?(out of memory|cannot allocate memory|failed to reserve)|runtime: out of memory)/m;

/** What a failed build says when the failure is the machine's (see BuildResult.machine). */
function machineFailure(tool: KustomizeTool, err: { killed?: boolean } | null, stderr: string): string | undefined {
  if (OUT_OF_MEMORY.test(stderr))
    return prlimit()
      ? `${tool.name} needed more than ${buildMemoryMiB()} MiB and was stopped: a YAML alias bomb in a file it reads does that (for a build really this large, raise CALISTI_GITOPS_BUILD_MEMORY_MB)`
      : `${tool.name} ran out of memory: a YAML alias bomb in a file it reads does that`;
  if (stderr.startsWith('prlimit:')) return `prlimit could not cap ${tool.name}'s memory: ${stderr.trim().split('\n')[0]}`;
  if (err?.killed) return `${tool.name} was stopped after ${BUILD_TIMEOUT_MS / 60_000} minutes`;
  return undefined;
}

const BUILD_TIMEOUT_MS = 300_000;
/** How a Go tool (kustomize, helm) is run: its output whole, stopped after BUILD_TIMEOUT_MS. */
export const GO_TOOL_RUN = { maxBuffer: 256 * 1024 * 1024, timeout: BUILD_TIMEOUT_MS, killSignal: 'SIGKILL' } as const;

/** A build stopped by its signal: it has no result, and none may be kept. */
export class BuildAborted extends Error {
  constructor(dir: string) {
    super(`kustomize build of ${dir} was stopped`);
  }
}

/** Runs one build; `signal` kills it (the promise then rejects with BuildAborted). */
export function kustomizeBuild(tool: KustomizeTool, dir: string, extra: string[] = [], signal?: AbortSignal): Promise<BuildResult> {
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return reject(new BuildAborted(dir));
    const [command, args] = capped(tool.command, tool.args(dir, extra));
    const child = execFile(command, args, { ...GO_TOOL_RUN, signal, env: { ...process.env, KUSTOMIZE_PLUGIN_HOME: '/nonexistent' } }, (err, stdout, stderr) => {
      if (signal?.aborted) return reject(new BuildAborted(dir));
      const machine = err ? machineFailure(tool, err, stderr) : undefined;
      if (machine) return resolvePromise({ dir, ok: false, yaml: '', stderr: machine, machine: true });
      resolvePromise({ dir, ok: !err, yaml: stdout, stderr: (stderr || (err && !stderr ? err.message : '')).trim() });
    });
    // Killed with the run: a build must not outlive a Ctrl-C or a CI job's timeout.
    killOnExit(child);
  });
}
