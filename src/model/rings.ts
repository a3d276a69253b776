/**
 * Rings: the fleet's clusters grouped in the order an upgrade rolls out (canary first). A ring may
 * run a newer Calisti release than calisti.version, which stays the oldest release the fleet runs;
 * each ring is at most one supported upgrade ahead of it.
 */
import { placedOn } from './membership.js';
import { z } from 'zod';
import { DnsLabel } from './names.js';

export const Ring = (versions: [string, ...string[]]) =>
  z.strictObject({
    name: DnsLabel.describe('Ring name, e.g. canary; upgrade --ring <name> upgrades its clusters.'),
    clusters: z.array(DnsLabel).min(1).describe('Clusters of this ring; a cluster is in one ring at most (those in none follow calisti.version).'),
    version: z
      .enum(versions, { error: () => `unknown Calisti version; supported: ${versions.join(', ')}` })
      .optional()
      .describe('Calisti release this ring runs while an upgrade rolls out (set by upgrade --ring). Default: calisti.version.'),
    maxUpdate: z
      .union([z.number().int().min(0), z.string().regex(/^(100|[1-9]?[0-9])%$/, 'must be a percentage from 0% to 100%')])
      .optional()
      .describe(
        "How many of this ring's Applications (per ApplicationSet) Argo CD syncs at once, a number or a percentage (RollingSync maxUpdate); 0: none, they wait for a manual sync. Default: all.",
      ),
  });

interface RingsOf {
  calisti: { version: string };
  clusters: { name: string }[];
  rings: { name: string; clusters: string[]; version?: string | undefined }[];
}

/** The Calisti release a cluster runs: its ring's, else the fleet's. */
export function versionOf(fleet: RingsOf, cluster: string): string {
  return placedOn(fleet.rings, cluster)[0]?.version ?? fleet.calisti.version;
}

/** Every release some cluster runs, the fleet's (the oldest) first. */
export function versionsInUse(fleet: RingsOf): string[] {
  return [...new Set([fleet.calisti.version, ...fleet.clusters.map((c) => versionOf(fleet, c.name))])];
}

/** The model's rules for rings; `step` says why `to` is not one supported upgrade from `from`, if it is not. */
export function checkRings(
  fleet: RingsOf,
  step: (from: string, to: string) => string | undefined,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const names = new Set<string>();
  const placed = new Map<string, string>();
  const known = new Set(fleet.clusters.map((c) => c.name));
  fleet.rings.forEach((r, i) => {
    if (names.has(r.name)) issue(['rings', i, 'name'], `duplicate ring "${r.name}"`);
    names.add(r.name);
    r.clusters.forEach((c, j) => {
      if (!known.has(c)) issue(['rings', i, 'clusters', j], `unknown cluster "${c}"; clusters are: ${[...known].join(', ')}`);
      else if (placed.has(c)) issue(['rings', i, 'clusters', j], `cluster "${c}" is already in ring ${placed.get(c)}`);
      placed.set(c, r.name);
    });
    if (r.version !== undefined && r.version !== fleet.calisti.version) {
      const why = step(fleet.calisti.version, r.version);
      if (why)
        issue(
          ['rings', i, 'version'],
          `${r.version} is not one supported upgrade ahead of calisti.version ${fleet.calisti.version} (the oldest release the fleet runs): ${why}`,
        );
    }
  });
}

/** The Istio control planes a release runs in this fleet: its own, then the older ones kept. */
export function runningRevisions(own: string, kept: string[]): string[] {
  return [own, ...kept.filter((r) => r !== own)];
}
