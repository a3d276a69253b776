/**
 * The cluster generator: one parameter set per cluster Secret its selector matches (plus the local
 * cluster when no selector is set and no Secret registers it), `values` rendered per cluster, `flatList`.
 */
import { SECRET_TYPE_LABEL } from '../cluster-secrets.js';
import { goStrings } from '../gotemplate/index.js';
import { normalizeName } from '../names.js';
import { compileSelector, selectorIsEmpty } from '../selector.js';
import { AppSetError, IN_CLUSTER_NAME, IN_CLUSTER_SERVER, type Cluster, type Params } from '../types.js';
import type { Generator } from './types.js';
import { withValues } from './values.js';

function clusterParams(c: Cluster, goTemplate: boolean): Params {
  const params: Params = { name: c.name, nameNormalized: normalizeName(c.name), server: c.server, project: c.project ?? '' };
  if (goTemplate) {
    params.metadata = {
      // Go holds Secret labels and annotations as map[string]string (sprig's dict functions refuse them).
      ...(Object.keys(c.annotations).length ? { annotations: goStrings({ ...c.annotations }) } : {}),
      ...(Object.keys(c.labels).length ? { labels: goStrings({ ...c.labels }) } : {}),
    };
  } else {
    for (const [k, v] of Object.entries(c.annotations)) params[`metadata.annotations.${k}`] = v;
    for (const [k, v] of Object.entries(c.labels)) params[`metadata.labels.${k}`] = v;
  }
  return params;
}

export const clusters: Generator = {
  params(spec, run) {
    let matches: (labels: Record<string, string>) => boolean;
    try {
      matches = compileSelector(spec.selector);
    } catch (e) {
      throw new AppSetError(
        `error getting cluster secrets: ${(e as Error).message.replace('error parsing label selector', 'error converting label selector')}`,
      );
    }
    // Secrets are listed by the secret-type label plus the selector, then keyed by cluster name (last wins).
    const byName = new Map<string, Cluster>();
    for (const c of run.ctx.clusters) if (c.labels[SECRET_TYPE_LABEL] === 'cluster' && matches(c.labels)) byName.set(c.name, c);
    const picked = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const sets = picked.map((c) => clusterParams(c, run.goTemplate));
    if (selectorIsEmpty(spec.selector) && !picked.some((c) => c.server === IN_CLUSTER_SERVER)) {
      sets.push({ name: IN_CLUSTER_NAME, nameNormalized: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER, project: '' });
    }
    const withVals = withValues(sets, spec.values, run);
    return spec.flatList === true ? [{ clusters: withVals }] : withVals;
  },
};
