/**
 * Release blueprints: one data file per Calisti release in `blueprints/`. Every version literal the
 * renderer needs comes from here, and the Istio revision names are derived, never written by hand.
 * Each value in a file is written `{ value, source }`: the docs section it was read from, or
 * `inferred: <from what>` when the docs do not print it, so a guess is never mistaken for a fact.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../fast-yaml.js';
import { z } from 'zod';
import { formatFieldPath } from '../errors.js';
import { blueprintsDir } from '../toolkit.js';
import { embeddedBlueprints } from './embedded-blueprints.js';

const Semver = z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a version like 1.12.0');

/** Where a blueprint value comes from: `docs 2.3.10`, or `inferred: <from what>`. */
export const Source = z.string().regex(/^(docs \d+(\.\d+)*|inferred: \S.*)$/, 'must be "docs <section>" or "inferred: <from what>"');
export type Source = z.infer<typeof Source>;

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
  /** Where each value comes from, by field path (`istio.versions[0].images.pilot`). */
  provenance: z.record(z.string(), Source),
});
export type Blueprint = z.infer<typeof Blueprint>;

/** A blueprint value together with where it comes from. */
export interface SourcedValue {
  path: string;
  value: string;
  source: Source;
}

/**
 * Splits a blueprint file into its plain values and their sources. Every scalar must be written as
 * `{ value, source }`; a bare one is reported by its path.
 */
function unwrap(node: unknown, path: PropertyKey[], provenance: Record<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n, i) => unwrap(n, [...path, i], provenance));
  if (node !== null && typeof node === 'object') {
    const entries = Object.entries(node);
    if (entries.length === 2 && 'value' in node && 'source' in node) {
      provenance[formatFieldPath(path)] = String((node as { source: unknown }).source);
      return (node as { value: unknown }).value;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, unwrap(v, [...path, k], provenance)]));
  }
  throw new Error(`${formatFieldPath(path)}: write it as { value: ..., source: docs <section> | "inferred: ..." }`);
}

/** The values of a blueprint that the docs do not print, with what they were inferred from. */
export function inferredValues(bp: Blueprint): SourcedValue[] {
  return Object.entries(bp.provenance)
    .filter(([, source]) => source.startsWith('inferred'))
    .map(([path, source]) => ({ path, value: String(valueAt(bp, path)), source }));
}

function valueAt(bp: Blueprint, path: string): unknown {
  let cur: unknown = bp;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    cur = (cur as Record<string, unknown>)[m[2] ?? m[1]!];
  }
  return cur;
}

let cache: Map<string, Blueprint> | undefined;

/** One blueprint file, parsed and checked (the file's name is its Calisti version). */
export function parseBlueprint(file: string, text: string): Blueprint {
  const provenance: Record<string, string> = {};
  let values: unknown;
  try {
    values = unwrap(parseYaml(text), [], provenance);
  } catch (e) {
    throw new Error(`blueprints/${file}: ${(e as Error).message}`);
  }
  const parsed = Blueprint.safeParse({ ...(values as object), provenance });
  if (!parsed.success) throw new Error(`blueprints/${file}: ${parsed.error.message}`);
  const bp = parsed.data;
  if (`${bp.calisti}.yaml` !== file) throw new Error(`blueprints/${file}: file name must be ${bp.calisti}.yaml`);
  if (!bp.istio.versions.some((v) => v.version === bp.istio.default)) {
    throw new Error(`blueprints/${file}: istio.default ${bp.istio.default} is not in istio.versions`);
  }
  return bp;
}

/** The digest a parsed blueprint is kept under (see embedded-blueprints.ts). */
export const blueprintDigest = (text: string) => createHash('sha256').update(text).digest('hex');

/** All blueprints, keyed by Calisti version, oldest first. */
export function blueprints(): Map<string, Blueprint> {
  cache ??= loadBlueprints(blueprintsDir);
  return cache;
}

/**
 * The blueprints in `dir`. A file whose bytes the bundle parsed already (`embedded`, see
 * embedded-blueprints.ts) is taken as parsed then; an edited or added one is parsed now.
 */
export function loadBlueprints(
  dir: string,
  embedded: Readonly<Record<string, { digest: string; blueprint: unknown }>> = embeddedBlueprints,
): Map<string, Blueprint> {
  const loaded = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const ready = embedded[f];
      return ready && ready.digest === blueprintDigest(text) ? (ready.blueprint as Blueprint) : parseBlueprint(f, text);
    })
    .sort((a, b) => compareVersions(a.calisti, b.calisti));
  return new Map(loaded.map((bp) => [bp.calisti, bp]));
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
