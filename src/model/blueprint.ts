/**
 * Release blueprints: one data file per Calisti release in `blueprints/`. Every version literal the
 * renderer needs comes from here, and the Istio revision names are derived, never written by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { blueprintsDir } from '../toolkit.js';

const Semver = z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a version like 1.12.0');

export const IstioRelease = z.strictObject({
  version: Semver,
  operator: z.string(),
  images: z.strictObject({
    pilot: z.string(),
    proxy: z.string(),
    installCni: z.string(),
    sidecarInjector: z.string(),
  }),
});
export type IstioRelease = z.infer<typeof IstioRelease>;

export const Blueprint = z.strictObject({
  calisti: Semver,
  released: z.string(),
  upgradeFrom: z.string().regex(/^\d+\.\d+$/),
  chart: z.strictObject({
    name: z.string(),
    repository: z.string(),
    version: z.string(),
    operatorImage: z.string(),
  }),
  registry: z.strictObject({ host: z.string(), prefix: z.string() }),
  istio: z.strictObject({ default: Semver, versions: z.array(IstioRelease).min(1) }),
  demoApp: z.strictObject({ version: z.string() }),
  components: z.record(z.string(), z.string()),
});
export type Blueprint = z.infer<typeof Blueprint>;

let cache: Map<string, Blueprint> | undefined;

/** All blueprints, keyed by Calisti version, oldest first. */
export function blueprints(): Map<string, Blueprint> {
  if (cache) return cache;
  const loaded = readdirSync(blueprintsDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => {
      const parsed = Blueprint.safeParse(parse(readFileSync(join(blueprintsDir, f), 'utf8')));
      if (!parsed.success) throw new Error(`blueprints/${f}: ${parsed.error.message}`);
      const bp = parsed.data;
      if (`${bp.calisti}.yaml` !== f) throw new Error(`blueprints/${f}: file name must be ${bp.calisti}.yaml`);
      if (!bp.istio.versions.some((v) => v.version === bp.istio.default)) {
        throw new Error(`blueprints/${f}: istio.default ${bp.istio.default} is not in istio.versions`);
      }
      return bp;
    })
    .sort((a, b) => compareVersions(a.calisti, b.calisti));
  cache = new Map(loaded.map((bp) => [bp.calisti, bp]));
  return cache;
}

export function knownVersions(): string[] {
  return [...blueprints().keys()];
}

export function blueprintFor(version: string): Blueprint {
  const bp = blueprints().get(version);
  if (!bp) throw new Error(`no blueprint for Calisti ${version}`);
  return bp;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The Istio release a blueprint installs by default. */
export function defaultIstio(bp: Blueprint): IstioRelease {
  return istioRelease(bp, bp.istio.default);
}

export function istioRelease(bp: Blueprint, version: string): IstioRelease {
  const found = bp.istio.versions.find((v) => v.version === version);
  if (!found) throw new Error(`Calisti ${bp.calisti} ships no Istio ${version}`);
  return found;
}

/** The docs' revision name: Istio 1.15.3 runs in the control plane `cp-v115x`. */
export function revisionName(istioVersion: string): string {
  const [major, minor] = istioVersion.split('.');
  return `cp-v${major}${minor}x`;
}

/** The revision of the control plane a release installs by default (`cp-v115x` for 1.12.0). */
export function defaultRevision(bp: Blueprint): string {
  return revisionName(bp.istio.default);
}

/** The namespace label value that binds workloads to a revision: `cp-v115x.istio-system`. */
export function revisionLabel(revision: string, istioNamespace: string): string {
  return `${revision}.${istioNamespace}`;
}
