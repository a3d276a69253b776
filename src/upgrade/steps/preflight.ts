/** Refuses an upgrade the repo cannot take yet: control planes the new release drops, or helm missing for a vendored chart. */
import { UserError } from '../../errors.js';
import { which } from '../../kustomize/build.js';
import { defaultRevision, revisionName } from '../../model/blueprint.js';
import { VENDORED_CHART_DIR } from '../../render/layout.js';
import { noPlan, type UpgradeStep } from './types.js';

export const preflight: UpgradeStep = {
  id: 'preflight',
  plan({ fleet, to, fromBp, toBp }) {
    const shipped = new Set(toBp.istio.versions.map((v) => revisionName(v.version)));
    const stranded = fleet.istio.revisions.filter((r) => !shipped.has(r));
    if (stranded.length) {
      throw new UserError(
        `Calisti ${to} does not ship ${stranded.join(', ')}, which still run${stranded.length === 1 ? 's' : ''} here`,
        `move its namespaces and prune it first: calisti-gitops istio migrate --namespace <ns> --to ${defaultRevision(fromBp)}; calisti-gitops istio prune`,
      );
    }
    if (fleet.calisti.chart === 'vendored' && !which('helm')) {
      throw new UserError(
        `calisti.chart is "vendored": upgrading replaces ${VENDORED_CHART_DIR} with helm pull, and helm is not installed`,
        'install helm (https://helm.sh/docs/intro/install/), or set calisti.chart: oci to let Argo CD pull the chart',
      );
    }
    return noPlan();
  },
};
