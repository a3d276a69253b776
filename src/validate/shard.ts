/**
 * `validate --shard i/n` and `--merge`: a CI matrix validates a large fleet in parallel. Each shard
 * builds the clusters that hash to it (all Applications of a cluster stay together, so per-cluster rules
 * see everything they need); repo-wide checks run in shard 1. Fleet-wide mesh rules need every cluster:
 * shards carry the few resources those rules read, and the merge runs them over the union.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { Finding } from './findings.js';
import { fleetRules, type ClusterView } from './mesh.js';
import { MESH_RULES } from './rules/registry.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The kinds fleet-wide rules read (mesh.ts fleetRules, and the fleet rules of rules/registry.ts). */
export const FLEET_KINDS = new Set(['IstioControlPlane', ...MESH_RULES.flatMap((r) => r.fleetKinds ?? [])]);

export interface FleetFacts {
  /** Argo CD's files all parsed, so fleet rules may run. */
  complete: boolean;
  views: ClusterView[];
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${text}: expected i/n with 1 <= i <= n, e.g. --shard 2/4`);
  return { index, count };
}

/** FNV-1a: a stable split that does not depend on the machine or the order clusters are found in. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

export const inShard = (key: string, shard: Shard): boolean => fnv1a(key) % shard.count === shard.index - 1;

export function fleetFacts(views: ClusterView[], complete: boolean): FleetFacts {
  return {
    complete,
    views: views.map((v) => ({
      cluster: v.cluster,
      ...(v.incomplete ? { incomplete: true } : {}),
      resources: v.resources.filter((d) => FLEET_KINDS.has(String(d.obj.kind))),
    })),
  };
}

const Summary = z.object({
  errors: z.number(),
  warnings: z.number(),
  infos: z.number(),
  applications: z.number(),
  clusters: z.number(),
  builds: z.number(),
  cachedBuilds: z.number(),
  sharedBuilds: z.number(),
});
export const ShardReport = z.object({
  version: z.literal(1),
  ok: z.boolean(),
  strict: z.boolean(),
  summary: Summary,
  findings: z.array(z.looseObject({ rule: z.string(), severity: z.enum(['error', 'warning', 'info']), message: z.string() })),
  shard: z.object({ index: z.number(), count: z.number() }),
  fleet: z.object({
    complete: z.boolean(),
    views: z.array(
      z.object({
        cluster: z.string(),
        incomplete: z.boolean().optional(),
        resources: z.array(z.looseObject({ obj: z.record(z.string(), z.unknown()), application: z.string() })),
      }),
    ),
  }),
});
export type ShardReport = z.infer<typeof ShardReport>;

export interface Merged {
  strict: boolean;
  findings: Finding[];
  summary: Omit<z.infer<typeof Summary>, 'errors' | 'warnings' | 'infos'>;
}

/** Combines every shard of one run into the findings one run gives (the caller sorts and counts). */
export function mergeShards(reports: { file: string; report: ShardReport }[]): Merged {
  const count = reports[0]?.report.shard.count ?? 0;
  const got = new Map<number, string>();
  for (const { file, report } of reports) {
    if (report.shard.count !== count) throw new UsageError(`${file} is shard ${report.shard.index}/${report.shard.count}, not of the same ${count}-way run`);
    const prev = got.get(report.shard.index);
    if (prev) throw new UsageError(`${file} and ${prev} are both shard ${report.shard.index}/${count}`);
    got.set(report.shard.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !got.has(i));
  if (missing.length) throw new UsageError(`missing shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')}: merge needs every shard of the run`);
  if (new Set(reports.map((r) => r.report.strict)).size > 1) throw new UsageError('shards ran with and without --strict');
  const all = reports.flatMap((r) => r.report.findings as Finding[]);
  // Shard 1's repo-wide leak scan reports a file on its own only when no build reported it: across
  // shards, the build that did may be in another shard.
  const builtLeaks = new Set(all.filter((f) => f.rule === 'secret/plaintext' && f.cluster !== undefined).map((f) => f.file));
  const findings = all.filter((f) => !(f.rule === 'secret/plaintext' && f.cluster === undefined && builtLeaks.has(f.file)));
  const views = reports.flatMap((r) => r.report.fleet.views as ClusterView[]).sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
  if (reports.every((r) => r.report.fleet.complete) && views.every((v) => !v.incomplete)) findings.push(...fleetRules(views));
  const sum = (k: keyof Merged['summary']) => reports.reduce((n, r) => n + r.report.summary[k], 0);
  return {
    strict: reports[0]!.report.strict,
    findings,
    summary: {
      applications: sum('applications'),
      clusters: sum('clusters'),
      builds: sum('builds'),
      cachedBuilds: sum('cachedBuilds'),
      sharedBuilds: sum('sharedBuilds'),
    },
  };
}
