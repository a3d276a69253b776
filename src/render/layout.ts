/**
 * Every path and fixed name in a generated calisti-gitops repo, in one place. The layout follows
 * the docs' multi-cluster guide (2.3.7): apps/<app>/app-set.yaml, manifests/<app>/base and
 * manifests/<app>/overlays/<cluster>; cross-cutting features are Kustomize Components.
 */

export const MODEL_FILE = 'calisti.yaml';
/** Sealed values written by `seal`, read by `generate`. */
export const SEALED_FILE = 'sealed-secrets.yaml';
/** Tool bookkeeping inside the generated repo. */
export const STATE_DIR = '.calisti-gitops';
export const STATE_FILE = `${STATE_DIR}/generated.json`;
export const SCHEMA_FILE = `${STATE_DIR}/calisti.schema.json`;

export const BOOTSTRAP_DIR = 'bootstrap';
export const APPS_DIR = 'apps';
export const VENDORED_CHART_DIR = 'charts/smm-operator';
export const TRUST_SCRIPT = 'export-secrets.sh';
export const README = 'README.md';
/** Where the generated README goes when the repo has a README of its own (`readme:` in the model). */
export const README_BESIDE = 'CALISTI-GITOPS.md';
/** Renovate's config, when the user has none; it extends our preset in STATE_DIR (render/renovate.ts). */
export const RENOVATE_CONFIG = 'renovate.json';

/** Folders of one generated application (its name is owned by its module under src/render/apps/). */
export const appSetFile = (app: string) => `${APPS_DIR}/${app}/app-set.yaml`;
export const appDir = (app: string) => `manifests/${app}`;
export const baseDir = (app: string) => `${appDir(app)}/base`;
/** The base of a ring that runs another release than calisti.version, while an upgrade rolls out. */
export const releaseBaseDir = (app: string, version: string) => `${baseDir(app)}-${version}`;
export const overlaysDir = (app: string) => `${appDir(app)}/overlays`;
export const overlayDir = (app: string, cluster: string) => `${overlaysDir(app)}/${cluster}`;
export const componentDir = (app: string, feature: string) => `components/${app}/${feature}`;

/** The folders and root files a render writes into; nothing outside them is ever generated. */
export const GENERATED_FOLDERS: readonly string[] = [APPS_DIR, 'manifests', 'components', BOOTSTRAP_DIR, STATE_DIR, '.github'];
export const GENERATED_ROOT_FILES: readonly string[] = [README, README_BESIDE, TRUST_SCRIPT, '.pre-commit-hooks.yaml', RENOVATE_CONFIG];
const SAFE_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,255}$/;

/**
 * Whether a render could have written this path. `.calisti-gitops/generated.json` is repo content
 * (a pull request can change it): only such paths are ever deleted as "no longer generated".
 */
export function isGeneratedPath(path: string): boolean {
  if (path === STATE_FILE || path === MODEL_FILE || path === SEALED_FILE) return false;
  const parts = path.split('/');
  if (!parts.every((s) => SAFE_SEGMENT.test(s) && s.toLowerCase() !== '.git')) return false;
  return parts.length === 1 ? GENERATED_ROOT_FILES.includes(path) : GENERATED_FOLDERS.includes(parts[0]!);
}

/** Namespaces and object names the Calisti docs fix. */
export const NS = {
  certManager: 'cert-manager',
  clusterRegistry: 'cluster-registry',
  smmSystem: 'smm-system',
  registryAccess: 'smm-registry-access',
} as const;
export const CONTROL_PLANE_NAME = 'smm';
export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const ROOT_APP = 'calisti-gitops';

export { PLACEHOLDER_ANNOTATION } from '../secrets/detect.js';
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** Sync waves: namespaces, then secrets, then control planes, then what uses them. */
export const WAVE = {
  certManagerNamespace: '1',
  istioNamespace: '2',
  /** The registry pull secret, before the smm-operator chart's own resources (wave 0) whose images need it. */
  pullSecret: '-1',
  /** Secrets the control planes read (after their namespaces, before the control planes). */
  secrets: '3',
  /** OpenShift's per-namespace sidecar setup (CNI attachment, SCC binding), with the namespace's other prerequisites. */
  namespaceSetup: '3',
  istioControlPlane: '5',
  controlPlane: '10',
  meshGateway: '15',
  gatewayConfig: '20',
} as const;

/** Relative path from one repo folder to another (both repo-relative, no trailing slash). */
export function relativeTo(fromDir: string, to: string): string {
  const from = fromDir.split('/');
  const dest = to.split('/');
  let i = 0;
  while (i < from.length && i < dest.length && from[i] === dest[i]) i++;
  return [...Array(from.length - i).fill('..'), ...dest.slice(i)].join('/');
}
