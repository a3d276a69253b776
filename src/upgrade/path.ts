/** Which upgrades Calisti supports (docs 2.4: from the prior minor release and its patches): pure. */
import { UserError } from '../errors.js';
import { blueprints, compareVersions, knownVersions, type Blueprint } from '../model/blueprint.js';

export type UpgradeKind = 'none' | 'patch' | 'minor';

const minorOf = (v: string) => v.split('.').slice(0, 2).join('.');

/** The supported path from one release to another, or an error that names the way there. */
export function checkUpgrade(from: string, to: string): UpgradeKind {
  const all = blueprints();
  if (!all.has(to)) throw new UserError(`unknown Calisti version ${to}`, `choose one of: ${knownVersions().join(', ')}`);
  const cmp = compareVersions(to, from);
  if (cmp === 0) return 'none';
  if (cmp < 0) throw new UserError(`downgrades are not supported (${from} -> ${to})`, `to go back, revert the upgrade commit in git`);
  if (minorOf(to) === minorOf(from)) return 'patch';
  if (all.get(to)!.upgradeFrom === minorOf(from)) return 'minor';
  const chain = upgradeChain(from, to);
  const via = chain.slice(1, -1);
  throw new UserError(
    `Calisti supports upgrades from the prior minor release only; ${from} -> ${to} skips ${via.map((v) => `${minorOf(v)}.x`).join(', ') || 'a release'}`,
    via.length
      ? `upgrade step by step: ${chain.join(' -> ')} (run calisti-gitops upgrade --to ${via[0]} first)`
      : `no supported path from ${from} to ${to} among ${knownVersions().join(', ')}`,
  );
}

/** from, each newest release of the next minor, ..., to. */
export function upgradeChain(from: string, to: string): string[] {
  const all = [...blueprints().values()];
  const chain = [from];
  let current = from;
  while (minorOf(current) !== minorOf(to)) {
    const next = newestFrom(all, current, to);
    if (!next) break;
    chain.push(next.calisti);
    current = next.calisti;
  }
  if (chain[chain.length - 1] !== to) chain.push(to);
  return chain;
}

function newestFrom(all: Blueprint[], current: string, ceiling: string): Blueprint | undefined {
  return all
    .filter((b) => b.upgradeFrom === minorOf(current) && compareVersions(b.calisti, ceiling) <= 0)
    .sort((a, b) => compareVersions(b.calisti, a.calisti))[0];
}

/** The newest release reachable in one supported step, and the newest of the current minor. */
export function nextVersions(current: string): { latestPatch?: string; nextMinor?: string; latest: string } {
  const all = [...blueprints().values()];
  const same = all
    .filter((b) => minorOf(b.calisti) === minorOf(current) && compareVersions(b.calisti, current) > 0)
    .sort((a, b) => compareVersions(b.calisti, a.calisti))[0];
  const next = all.filter((b) => b.upgradeFrom === minorOf(current)).sort((a, b) => compareVersions(b.calisti, a.calisti))[0];
  return { latestPatch: same?.calisti, nextMinor: next?.calisti, latest: knownVersions()[knownVersions().length - 1]! };
}
