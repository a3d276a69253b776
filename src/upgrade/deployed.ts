/**
 * What the repo deploys against what calisti.yaml renders, for the versions the blueprints decide
 * (a chart's targetRevision, an IstioControlPlane's spec.version, every image): `outdated` shows a
 * bump made outside upgrade (a bot's PR, a hand edit) next to the model's value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadStrictDocuments } from '../fast-yaml.js';
import type { Fleet } from '../model/schema.js';
import { renderRepo } from '../render/index.js';
import { SEALED_FILE } from '../render/layout.js';
import { SealedStore } from '../secrets/store.js';

export interface DeployedVersion {
  file: string;
  /** Dotted path of the field inside its resource. */
  path: string;
  deployed: string;
  model: string;
}

type Doc = Record<string, unknown>;
const IMAGE = /^[\w.-]+(\/[\w.-]+)+:[\w.-]+$/;

const read = (root: string, path: string): string | undefined => {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
};

function docs(text: string): Doc[] | undefined {
  let values: unknown[];
  try {
    values = loadStrictDocuments(text);
  } catch {
    // What the fast reader refuses, `yaml` judges, as it always did.
    const all = parseAllDocuments(text);
    if (!Array.isArray(all) || all.some((d) => d.errors.length > 0)) return undefined;
    values = all.map((d) => d.toJS() as unknown);
  }
  return values.filter((d): d is Doc => typeof d === 'object' && d !== null && !Array.isArray(d));
}

/** Leaves of a rendered resource that carry a blueprint version. */
function versionLeaves(doc: Doc): { path: (string | number)[]; value: string }[] {
  const out: { path: (string | number)[]; value: string }[] = [];
  const walk = (node: unknown, path: (string | number)[], parent: unknown) => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i], node));
    if (typeof node === 'object' && node !== null) return Object.entries(node).forEach(([k, v]) => walk(v, [...path, k], node));
    if (typeof node !== 'string') return;
    const key = path[path.length - 1];
    const chart = key === 'targetRevision' && typeof parent === 'object' && parent !== null && 'chart' in parent;
    const icpVersion = key === 'version' && path.length === 2 && path[0] === 'spec' && doc.kind === 'IstioControlPlane';
    if (chart || icpVersion || IMAGE.test(node)) out.push({ path, value: node });
  };
  walk(doc, [], undefined);
  return out;
}

const at = (obj: unknown, path: (string | number)[]): unknown =>
  path.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string | number, unknown>)[k] : undefined), obj);

const name = (d: Doc) => (d.metadata as Doc | undefined)?.name;

export function deployedVersions(root: string, fleet: Fleet): DeployedVersion[] {
  const out: DeployedVersion[] = [];
  for (const [file, r] of renderRepo(fleet, SealedStore.parse(read(root, SEALED_FILE), SEALED_FILE))) {
    if (!/\.ya?ml$/.test(file)) continue;
    const text = read(root, file);
    const want = docs(r.content);
    const have = text === undefined ? undefined : docs(text);
    if (!want || !have) continue;
    for (const w of want) {
      const h = have.find((d) => d.kind === w.kind && name(d) === name(w));
      if (!h) continue;
      for (const { path, value } of versionLeaves(w)) {
        const got = at(h, path);
        if (got !== undefined && got !== value)
          out.push({ file, path: path.join('.'), deployed: typeof got === 'string' ? got : JSON.stringify(got), model: value });
      }
    }
  }
  return out;
}
