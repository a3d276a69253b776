/** `outdated`: the repo's versions against the newest supported upgrade, like `npm outdated`. */
import { blueprintFor, defaultIstio } from '../model/blueprint.js';
import { loadRepoModel } from './apply.js';
import { nextVersions } from './path.js';
import { primaryRevision } from './workloads.js';
import { deployedVersions, type DeployedVersion } from './deployed.js';
import { rollout, type RingStatus, type Rollout } from './rollout.js';

export interface OutdatedRow {
  component: string;
  current: string;
  wanted: string;
  latest: string;
}

export interface OutdatedReport {
  calisti: string;
  /** The version one supported upgrade reaches: newest patch of the next minor, else of this one. */
  next: string | null;
  latest: string;
  rows: OutdatedRow[];
  /** Older Istio control planes still running (a canary move not finished). */
  pendingRevisions: string[];
  /** Versions the repo deploys that differ from what calisti.yaml says (a bump outside upgrade). */
  deployed: DeployedVersion[];
  /** With rings in the model, each ring in rollout order (clusters in none last, name null); else empty. */
  rings: RingStatus[];
  /** The ring to upgrade next, with its command; null without rings or when none can move. */
  nextRing: Rollout['nextRing'];
}

export async function runOutdated(dir: string): Promise<OutdatedReport> {
  const { root, fleet } = await loadRepoModel(dir);
  const current = fleet.calisti.version;
  const { latestPatch, nextMinor, latest } = nextVersions(current);
  const next = nextMinor ?? latestPatch ?? null;
  const cur = blueprintFor(current);
  const want = blueprintFor(next ?? current);
  const last = blueprintFor(latest);
  const plan = fleet.rings.length ? rollout(fleet) : undefined;
  return {
    calisti: current,
    next,
    latest,
    rows: [
      { component: 'calisti', current, wanted: want.calisti, latest: last.calisti },
      { component: 'smm-operator chart', current: cur.chart.version, wanted: want.chart.version, latest: last.chart.version },
      {
        component: 'istio',
        current: `${defaultIstio(cur).version} (${primaryRevision(fleet)})`,
        wanted: defaultIstio(want).version,
        latest: defaultIstio(last).version,
      },
    ],
    pendingRevisions: fleet.istio.revisions,
    deployed: deployedVersions(root, fleet),
    rings: plan?.rings ?? [],
    nextRing: plan?.nextRing ?? null,
  };
}
