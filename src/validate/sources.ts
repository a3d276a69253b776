/**
 * What validate reads from a repo: the Argo CD objects under apps/ and bootstrap/ (with their file
 * and line), and the clusters of calisti.yaml for ApplicationSet cluster generators.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { loadLocatedDocuments } from '../fast-yaml.js';
import { ModelError } from '../errors.js';
import { readModelText } from '../model/load.js';
import { modelCacheDir, rememberedFleet } from '../repo/remembered-model.js';
import type { Fleet } from '../model/schema.js';
import { clusterSecretLabels } from '../render/argocd.js';
import { APPS_DIR, BOOTSTRAP_DIR, MODEL_FILE } from '../render/layout.js';
import { normalizeName, type Cluster } from '../argocd/engine.js';
import { remoteURLs } from '../argocd/local-repo.js';
import { reachableFiles } from '../argocd/reach.js';
import { isObj } from '../objects.js';
import { MAX_MANIFEST_BYTES } from '../secrets/leak.js';
import { finding, type Finding } from './findings.js';
import type { KubeObject } from './objects.js';

export interface Located<T> {
  obj: T;
  file: string;
  line: number;
}

export interface ArgoObjects {
  applications: Located<KubeObject>[];
  applicationSets: Located<KubeObject>[];
  projects: Located<KubeObject>[];
  /** Every object read from those folders (Secrets in bootstrap/ are checked too). */
  others: Located<KubeObject>[];
}

const YAML_FILE = /\.ya?ml$/;

function yamlFiles(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    // lstat: a symlink is never followed (a loop, or one pointing at / or /dev/zero).
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && YAML_FILE.test(name)) out.push(relative(root, p));
    }
  };
  walk(abs);
  return out;
}

/** Parses a multi-document YAML file with each document's first line. */
export function readDocuments(root: string, file: string, findings: Finding[]): Located<KubeObject>[] {
  const st = lstatSync(join(root, file));
  if (!st.isFile()) {
    findings.push(finding('yaml/invalid', 'not a regular file (a symlink or device): not read', { file }));
    return [];
  }
  if (st.size > MAX_MANIFEST_BYTES) {
    findings.push(finding('yaml/invalid', `${st.size} bytes: larger than any manifest (${MAX_MANIFEST_BYTES}); not read`, { file }));
    return [];
  }
  const text = readFileSync(join(root, file), 'utf8');
  const out: Located<KubeObject>[] = [];
  // Most files need no more than the fast reader; anything it refuses gets `yaml`'s located errors.
  const fast = loadLocatedDocuments(text);
  if (fast) {
    for (const d of fast) if (isObj(d.data)) out.push({ obj: d.data as KubeObject, file, line: d.line });
    return out;
  }
  const lines = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true })) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lines.linePos(e.pos[0]);
        findings.push(finding('yaml/invalid', e.message.split('\n')[0]!, { file, line: pos.line, col: pos.col }));
      }
      continue;
    }
    let obj: unknown;
    try {
      obj = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      findings.push(finding('yaml/invalid', (e as Error).message, { file, line: 1 }));
      continue;
    }
    if (isObj(obj)) {
      out.push({ obj, file, line: lines.linePos(doc.contents?.range?.[0] ?? 0).line });
    }
  }
  return out;
}

export function readArgoObjects(root: string, findings: Finding[], files = [...yamlFiles(root, BOOTSTRAP_DIR), ...yamlFiles(root, APPS_DIR)]): ArgoObjects {
  const result: ArgoObjects = { applications: [], applicationSets: [], projects: [], others: [] };
  for (const file of files) {
    for (const d of readDocuments(root, file, findings)) {
      const { kind, apiVersion } = d.obj;
      if (kind === 'Kustomization' || kind === 'Component') continue;
      if (apiVersion === 'argoproj.io/v1alpha1' && kind === 'Application') result.applications.push(d);
      else if (apiVersion === 'argoproj.io/v1alpha1' && kind === 'ApplicationSet') result.applicationSets.push(d);
      else if (apiVersion === 'argoproj.io/v1alpha1' && kind === 'AppProject') result.projects.push(d);
      else result.others.push(d);
    }
  }
  return result;
}

export interface ModelInfo {
  fleet?: Fleet;
  /** calisti.yaml's text, when it holds a valid model. */
  text?: string;
  clusters: Cluster[];
}

/** The fleet's clusters as Argo CD's cluster generator would see them, when calisti.yaml is valid. */
export function readModel(root: string, findings: Finding[], remembered = true): ModelInfo {
  if (!existsSync(join(root, MODEL_FILE))) return { clusters: [] };
  try {
    const text = readModelText(join(root, MODEL_FILE), MODEL_FILE);
    const fleet = rememberedFleet(text, MODEL_FILE, remembered ? modelCacheDir(root) : undefined);
    return { fleet, text, clusters: fleet.clusters.map((c) => clusterInfo(c)) };
  } catch (e) {
    if (e instanceof ModelError) {
      for (const p of e.problems)
        findings.push(finding('yaml/invalid', `${p.path ? `${p.path}: ` : ''}${p.message}`, { file: p.file, line: p.line, col: p.col }));
      return { clusters: [] };
    }
    throw e;
  }
}

/** A fleet cluster as the cluster Secret `clusters add` writes: its labels, and name/server from the model. */
export function clusterInfo(c: Fleet['clusters'][number]): Cluster {
  const argoName = c.argocd?.name ?? c.name;
  return {
    name: argoName,
    ...(argoName !== c.name ? { fleetName: c.name } : {}),
    // The API server address Argo CD knows is not in the model; a stable stand-in keeps server-based
    // templates and destinations comparable.
    server: c.apiServerEndpointAddress ?? `https://${normalizeName(c.name)}.cluster.invalid`,
    labels: clusterSecretLabels(c),
    annotations: {},
  };
}

const ARGO_KINDS = new Set(['Application', 'ApplicationSet', 'AppProject']);

/**
 * The Argo CD objects Argo CD applies, starting from `entry` (bootstrap/ by default); every file of
 * apps/ and bootstrap/ is still read for the secret checks. Argo CD objects in files nothing reaches
 * are reported and left out: Argo never sees them.
 */
export function reachableArgoObjects(root: string, entry: string, fleet: Fleet | undefined, findings: Finding[]): ArgoObjects {
  const scanned = [...yamlFiles(root, BOOTSTRAP_DIR), ...yamlFiles(root, APPS_DIR)];
  if (entry === BOOTSTRAP_DIR && !existsSync(join(root, BOOTSTRAP_DIR))) return readArgoObjects(root, findings, scanned);
  const reach = reachableFiles(root, entry, [...remoteURLs(root), ...(fleet ? [fleet.git.repoURL] : [])], fleet?.git.path);
  for (const p of reach.problems) findings.push(finding('argocd/unreachable', p, { file: p.split(':')[0] }));
  const reached = new Set(reach.files);
  const inScan = new Set(scanned);
  const files = [...scanned, ...reach.files.filter((f) => !inScan.has(f) && /\.ya?ml$/.test(f) && !/(^|\/)kustomization\.ya?ml$/.test(f))];
  const all = readArgoObjects(root, findings, files);
  const keep = <T extends Located<KubeObject>>(list: T[]): T[] => list.filter((d) => reached.has(d.file));
  const stray = new Set([...all.applications, ...all.applicationSets, ...all.projects].filter((d) => !reached.has(d.file)).map((d) => d.file));
  for (const file of stray)
    findings.push(finding('argocd/unreachable', `holds Argo CD objects that nothing applies (no kustomization from ${entry} lists it): not checked`, { file }));
  return {
    applications: keep(all.applications),
    applicationSets: keep(all.applicationSets),
    projects: keep(all.projects),
    others: all.others.filter((d) => reached.has(d.file) || !ARGO_KINDS.has(String(d.obj.kind))),
  };
}

/**
 * Where Argo CD's source paths start: the repository's root. A tree in a folder of a monorepo
 * (git.path) has its calisti.yaml there, but its Applications name paths from the repository's root.
 */
export function sourceRootOf(root: string, fleet: Fleet | undefined): string {
  const folder = fleet?.git.path;
  if (!folder) return root;
  const suffix = `${sep}${folder.split('/').join(sep)}`;
  return root.endsWith(suffix) ? root.slice(0, root.length - suffix.length) : root;
}
