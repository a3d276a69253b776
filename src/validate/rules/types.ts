/**
 * A mesh rule: the finding ID it reports (its severity and summary live in ../findings.ts RULES)
 * and a pure check over what the clusters receive. `cluster` sees one cluster at a time; `fleet`
 * sees every cluster at once, for what only the whole mesh decides (one active SMM, a Service on
 * another cluster). Registered once in ./registry.ts.
 */
import type { Finding, RuleId } from '../findings.js';
import type { ClusterView } from '../mesh.js';

export interface MeshRule {
  id: RuleId;
  cluster?(view: ClusterView): Finding[];
  fleet?(views: ClusterView[]): Finding[];
  /** With `fleet`: every kind it reads; `validate --shard` carries these to the merge (../shard.ts). */
  fleetKinds?: readonly string[];
}
