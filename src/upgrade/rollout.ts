/**
 * Where a ring-by-ring rollout stands, purely from the model: what each ring runs, what it can move
 * to next, and which ring the rollout order takes next. The rollout's target is the release a ring
 * is already on when one is ahead of calisti.version, else the next supported upgrade.
 */
import { blueprintFor, compareVersions, defaultRevision } from '../model/blueprint.js';
import { versionOf, versionsInUse } from '../model/rings.js';
import type { Fleet } from '../model/schema.js';
import { checkUpgrade, nextVersions } from './path.js';

export interface RingStatus {
  /** The ring's name; null for the clusters in no ring (they follow calisti.version, and move last). */
  name: string | null;
  clusters: string[];
  /** The Calisti release it runs, and that release's own Istio control plane. */
  calisti: string;
  revision: string;
  /** The release it can move to next (one supported upgrade, never past another ring's); null: none now. */
  next: string | null;
  command: string | null;
}

export interface Rollout {
  /** The release the rollout moves the fleet to; null when the fleet is at the newest. */
  target: string | null;
  /** Whether some ring is already past calisti.version. */
  inProgress: boolean;
  rings: RingStatus[];
  /** The first ring, in rollout order, that can move. */
  nextRing: { name: string | null; to: string; command: string } | null;
}

export function rollout(fleet: Fleet): Rollout {
  const current = fleet.calisti.version;
  const ahead = versionsInUse(fleet)
    .filter((v) => compareVersions(v, current) > 0)
    .sort(compareVersions);
  const { latestPatch, nextMinor } = nextVersions(current);
  const target = ahead[ahead.length - 1] ?? nextMinor ?? latestPatch ?? null;
  const inRing = new Set(fleet.rings.flatMap((r) => r.clusters));
  const rest = fleet.clusters.map((c) => c.name).filter((c) => !inRing.has(c));
  const groups = [
    ...fleet.rings.map((r) => ({ name: r.name as string | null, clusters: r.clusters })),
    ...(rest.length ? [{ name: null, clusters: rest }] : []),
  ];
  const rings = groups.map(({ name, clusters }): RingStatus => {
    const calisti = versionOf(fleet, clusters[0]!);
    const next = target !== null && compareVersions(target, calisti) > 0 && supported(calisti, target) ? target : null;
    return {
      name,
      clusters,
      calisti,
      revision: defaultRevision(blueprintFor(calisti)),
      next,
      command: next === null ? null : `calisti-gitops upgrade --to ${next}${name === null ? '' : ` --ring ${name}`}`,
    };
  });
  const first = rings.find((r) => r.next !== null);
  return {
    target,
    inProgress: ahead.length > 0,
    rings,
    nextRing: first ? { name: first.name, to: first.next!, command: first.command! } : null,
  };
}

function supported(from: string, to: string): boolean {
  try {
    checkUpgrade(from, to);
    return true;
  } catch {
    return false;
  }
}
