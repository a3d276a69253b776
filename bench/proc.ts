/**
 * Whole-process measurement: what a user waits for. Each run is a fresh process, timed from spawn
 * to exit; the peak RSS of a CLI run is read from the process itself through a thin preload
 * (bench/peak.ts) that reports `resourceUsage().maxRSS` when it exits.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolkitRoot } from '../src/toolkit.js';

export const BIN = join(toolkitRoot, 'bin', 'calisti-gitops');
const PEAK = fileURLToPath(new URL('./peak.js', import.meta.url));

export interface Run {
  ms: number;
  rssMb?: number;
  status: number | null;
  stdout: string;
}

export interface Command {
  file: string;
  args: string[];
  cwd?: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command once, as a new process; `cli` runs get their peak RSS. */
export function runOnce(c: Command, opts: { cli?: boolean } = {}): Run {
  const rssFile = join(tmpdir(), `calisti-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [file, args] = opts.cli ? [process.execPath, ['--import', PEAK, BIN, ...c.args]] : [c.file, c.args];
  const env = { ...process.env, ...c.env, ...(opts.cli ? { CALISTI_BENCH_RSS_FILE: rssFile } : {}) };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, { cwd: c.cwd, input: c.input, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssMb: number | undefined;
  if (opts.cli) {
    try {
      rssMb = Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024);
    } catch {
      rssMb = undefined;
    }
    rmSync(rssFile, { force: true });
  }
  return { ms, rssMb, status: r.status, stdout: r.stdout ?? '' };
}

export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
  rssMb?: number;
}

export function stat(values: number[], rss: (number | undefined)[] = []): Stat {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const peaks = rss.filter((x): x is number => x !== undefined);
  return {
    median: Math.round(median),
    min: Math.round(s[0]!),
    max: Math.round(s[s.length - 1]!),
    runs: s.length,
    ...(peaks.length ? { rssMb: Math.max(...peaks) } : {}),
  };
}

/**
 * A/B interleaved: every round runs each case once, in turn, so drift in the machine's load spreads
 * over all cases alike. `prepare` runs before each timed run and is not timed.
 */
/** A copy of `items` in a pseudo-random order fixed by `seed` (Fisher-Yates over mulberry32). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function interleave(cases: Record<string, { prepare?: () => void; run: () => Run }>, rounds: number): Record<string, Stat> {
  const times: Record<string, number[]> = {};
  const peaks: Record<string, (number | undefined)[]> = {};
  const all = Object.entries(cases);
  for (let i = 0; i < rounds; i++) {
    // The first round in the written order, each later one in its own shuffled order (seeded by the
    // round, so a re-run repeats it): no case always runs right after the same one (the baseline
    // loops hold both cores for minutes, and what follows them is slowed). Every case sets up its
    // own state in `prepare`, so any order measures the same thing.
    for (const [name, c] of i === 0 ? all : shuffled(all, i)) {
      c.prepare?.();
      const r = c.run();
      if (r.status !== 0 && r.status !== 1) throw new Error(`${name} exited ${r.status}`);
      (times[name] ??= []).push(r.ms);
      (peaks[name] ??= []).push(r.rssMb);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stat(v, peaks[k])]));
}

export const fmt = (s: Stat | undefined) => (s ? `${s.median} ms [${s.min}-${s.max}]${s.rssMb ? ` ${s.rssMb} MB` : ''}` : '-');
