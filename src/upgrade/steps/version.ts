/** The release itself: calisti.version, which brings the new chart and images with it. */
import type { UpgradeStep } from './types.js';

export const version: UpgradeStep = {
  id: 'version',
  plan: ({ from, to, fromBp, toBp }) => ({
    changes: [{ op: 'set', path: ['calisti', 'version'], value: to }],
    steps: [`calisti.version ${from} -> ${to}`, `smm-operator chart ${fromBp.chart.version} -> ${toBp.chart.version}`],
    followUps: [],
  }),
};
