/** A vendored chart is replaced by the new release's, pulled with helm before regenerating. */
import { VENDORED_CHART_DIR } from '../../render/layout.js';
import { noPlan, type UpgradeStep } from './types.js';

export const vendoredChart: UpgradeStep = {
  id: 'vendored-chart',
  plan({ fleet, toBp }) {
    if (fleet.calisti.chart !== 'vendored') return noPlan();
    const { repository, name, version } = toBp.chart;
    return {
      changes: [],
      steps: [`${VENDORED_CHART_DIR} replaced by helm pull of ${name} ${version}`],
      followUps: [],
      pullChart: { repository, name, version },
    };
  },
};
