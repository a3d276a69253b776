import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toolkitRoot } from '../src/toolkit.js';

/**
 * Upstream data (Argo CD and istio-operator CRDs, sealed-secrets vectors, the Calisti docs) lives
 * outside the repo. A fresh clone has none of it: tests that need it skip, saying why.
 */
export const conformanceDir = resolve(process.env.CALISTI_CONFORMANCE_DIR ?? join(toolkitRoot, '..', 'shared', 'conformance'));
export const hasConformance = existsSync(join(conformanceDir, 'argocd'));
export const conformance = (...p: string[]) => join(conformanceDir, ...p);
/** The Calisti docs text (seeds/003_*.txt) sits beside the conformance folder. */
const seedsDir = join(conformanceDir, '..', 'seeds');
const seedFile = existsSync(seedsDir) ? readdirSync(seedsDir).find((f) => f.startsWith('003_')) : undefined;
export const hasDocs = seedFile !== undefined;
/** The Calisti docs text, or '' when absent (the tests that read it are skipped then). */
export const calistiDocs = seedFile ? readFileSync(join(seedsDir, seedFile), 'utf8') : '';
export const NO_CONFORMANCE = `needs upstream conformance data at ${conformanceDir} (set CALISTI_CONFORMANCE_DIR)`;
export const NO_DOCS = `needs the Calisti docs at ${seedsDir}`;
/** CRD files for validate: Argo CD's and istio-operator's when present, else none (validate then warns). */
export const CRD_PATHS = hasConformance ? [conformance('argocd'), conformance('istio-operator', 'istio-operator-crds.gen.yaml')] : [];
