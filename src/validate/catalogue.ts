/**
 * Schemas no npm package ships (istio-operator's CRDs), in the style of kubeconform's
 * `-schema-location`: a URL template per source, pinned to the version the release blueprint names,
 * fetched by `calisti-gitops schemas pull` on a machine with network into a cache folder that `validate`
 * then reads offline. Without the cache, validate says which command fills it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../errors.js';
import { blueprintFor } from '../model/blueprint.js';
import type { Fleet } from '../model/schema.js';
import { schemaCacheDir } from './cache-root.js';

export interface CatalogueSource {
  name: string;
  /** The API group whose kinds this source describes. */
  group: string;
  /** Default location; `{ref}` is the pinned version. */
  location: string;
  /** The versions the fleet's release needs. */
  refs(fleet: Fleet): string[];
}

export const CATALOGUE: CatalogueSource[] = [
  {
    name: 'istio-operator',
    group: 'servicemesh.cisco.com',
    location: 'https://raw.githubusercontent.com/banzaicloud/istio-operator/{ref}/deploy/charts/istio-operator/crds/istio-operator-crds.gen.yaml',
    refs: (fleet) => [...new Set(blueprintFor(fleet.calisti.version).istio.versions.map((v) => v.operator))].sort(),
  },
];

const cachedFile = (source: CatalogueSource, ref: string, env?: NodeJS.ProcessEnv) =>
  join(schemaCacheDir(env), source.name, `${ref.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`);

/** The cached schema files the fleet's release needs, and the sources still missing from the cache. */
export function cachedSchemas(fleet: Fleet | undefined, env?: NodeJS.ProcessEnv): { files: string[]; missing: CatalogueSource[] } {
  const files: string[] = [];
  const missing: CatalogueSource[] = [];
  if (!fleet) return { files, missing };
  for (const source of CATALOGUE) {
    const have = source
      .refs(fleet)
      .map((ref) => cachedFile(source, ref, env))
      .filter((f) => existsSync(f));
    if (have.length) files.push(...have);
    else missing.push(source);
  }
  return { files, missing };
}

/** What the finding for a kind without a schema should tell the user to do; `missing` from cachedSchemas. */
export function schemaHint(apiVersion: string, missing: CatalogueSource[]): string {
  const group = apiVersion.split('/')[0];
  if (missing.some((s) => s.group === group)) return 'run calisti-gitops schemas pull (needs network once), or pass its CRD with --crds';
  return 'pass its CRD with --crds';
}

async function fetchText(location: string): Promise<string> {
  if (!/^https?:\/\//.test(location)) {
    const path = location.replace(/^file:\/\//, '');
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  let res: Response;
  try {
    res = await fetch(location, { signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    throw new UserError(
      `cannot fetch ${location}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`,
      'run schemas pull on a machine with network, or point --location at a local copy: calisti-gitops schemas pull --location <folder>/{ref}.yaml',
    );
  }
  if (!res.ok) throw new UserError(`cannot fetch ${location}: HTTP ${res.status}`);
  return res.text();
}

/** The CRDs of `group` in a text, or an error naming what is wrong: nothing unchecked enters the cache. */
function checkCrds(text: string, group: string, location: string): string[] {
  const kinds: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new UserError(`${location}: not YAML (${doc.errors[0]!.message.split('\n')[0]})`);
    const o = doc.toJS() as { kind?: string; spec?: { group?: string; names?: { kind?: string } } } | null;
    if (o?.kind === 'CustomResourceDefinition' && o.spec?.group === group && o.spec.names?.kind) kinds.push(o.spec.names.kind);
  }
  if (kinds.length === 0) throw new UserError(`${location}: holds no CustomResourceDefinition of ${group}`);
  return kinds.sort();
}

export interface Pulled {
  source: string;
  ref: string;
  location: string;
  file: string;
  kinds: string[];
}

/** Fetches every schema the fleet's release needs into the cache (written whole, or not at all). */
export async function pullSchemas(fleet: Fleet, location?: string, env?: NodeJS.ProcessEnv): Promise<Pulled[]> {
  const out: Pulled[] = [];
  for (const source of CATALOGUE) {
    for (const ref of source.refs(fleet)) {
      const from = (location ?? source.location).replaceAll('{ref}', ref).replaceAll('{name}', source.name);
      const text = await fetchText(from);
      const kinds = checkCrds(text, source.group, from);
      const file = cachedFile(source, ref, env);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
      out.push({ source: source.name, ref, location: from, file, kinds });
    }
  }
  return out;
}
