/** Every upgrade step, in the order their plans are applied and reported. Adding one: a module here and one line (docs/extending.md). */
import { istioCanary } from './istio-canary.js';
import { preflight } from './preflight.js';
import type { UpgradeStep } from './types.js';
import { vendoredChart } from './vendored-chart.js';
import { version } from './version.js';

export const UPGRADE_STEPS: readonly UpgradeStep[] = [preflight, version, istioCanary, vendoredChart];
