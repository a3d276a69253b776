/**
 * Every generated Argo CD application, in sync-wave order. Adding one: a folder under apps/ whose
 * index.ts exports a GeneratedApp, and one line here (docs/extending.md).
 */
import { demoApp } from './demo-app/index.js';
import { sealedSecrets } from './sealed-secrets/index.js';
import { meshPolicies } from './mesh-policies/index.js';
import { meshSlos } from './mesh-slos/index.js';
import { smmControlPlane } from './smm-controlplane/index.js';
import { smmOperator } from './smm-operator/index.js';
import type { GeneratedApp } from './types.js';

export const APPS: readonly GeneratedApp[] = [sealedSecrets, smmOperator, smmControlPlane, demoApp, meshPolicies, meshSlos];
