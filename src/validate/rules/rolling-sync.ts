/**
 * appset/rolling-sync-unmatched: with a RollingSync strategy (progressive syncs), Argo CD's
 * ApplicationSet controller removes `syncPolicy.automated` from every generated Application and
 * syncs them itself, step by step; an Application no step selects is never synced by anyone.
 * Selection as the controller does it (applicationset_controller.go, buildAppDependencyList): every
 * expression of a step must hold; a missing label fails `In` only; an operator other than `In` or
 * `NotIn` on a present label selects nothing.
 */
import { z } from 'zod';
import type { App } from '../deploy.js';
import { finding, resourceRef, type Finding } from '../findings.js';
import { labelsOf, meta } from '../objects.js';
import type { Located } from '../sources.js';

const Expression = z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() }).loose();
const Step = z.object({ matchExpressions: z.array(Expression).nullish() }).loose();
/** The fields read from a user's ApplicationSet; anything else about it is the schema check's business. */
const Strategy = z
  .object({
    type: z.string().nullish(),
    rollingSync: z
      .object({ steps: z.array(Step).nullish() })
      .loose()
      .nullish(),
  })
  .loose();
const Labels = z.record(z.string(), z.string());

type Expression = z.infer<typeof Expression>;
type Step = z.infer<typeof Step>;

function holds(e: Expression, labels: Record<string, string>): boolean {
  const value = labels[e.key];
  if (value === undefined) return e.operator !== 'In';
  if (e.operator !== 'In' && e.operator !== 'NotIn') return false;
  return (e.values ?? []).includes(value) === (e.operator === 'In');
}

export const selectedBy = (step: Step, labels: Record<string, string>) => (step.matchExpressions ?? []).every((e) => holds(e, labels));

/** The steps of a RollingSync the controller acts on (type RollingSync and at least one step); else undefined. */
export function rollingSteps(appSet: unknown): Step[] | undefined {
  const spec = z
    .object({ strategy: Strategy.nullish() })
    .loose()
    .safeParse((appSet as { spec?: unknown } | undefined)?.spec);
  const s = spec.success ? spec.data.strategy : undefined;
  const steps = s?.type === 'RollingSync' ? (s.rollingSync?.steps ?? []) : [];
  return steps.length ? steps : undefined;
}

export function rollingSyncFindings(appSets: Located<Record<string, unknown>>[], apps: App[]): Finding[] {
  const out: Finding[] = [];
  for (const set of appSets) {
    const steps = rollingSteps(set.obj);
    if (!steps) continue;
    const name = String((set.obj.metadata as { name?: unknown } | undefined)?.name ?? '');
    for (const a of apps.filter((x) => x.from === name && x.file === set.file)) {
      const parsed = Labels.safeParse(labelsOf(a.obj));
      const labels = parsed.success ? parsed.data : {};
      if (steps.some((s) => selectedBy(s, labels))) continue;
      const app = String(meta(a.obj).name ?? '');
      out.push(
        finding(
          'appset/rolling-sync-unmatched',
          `no RollingSync step of ApplicationSet ${name} selects Application ${app} (labels: ${JSON.stringify(labels)}): Argo CD turns its automated sync off and never syncs it; add a step that matches it`,
          { application: app, resource: resourceRef(set.obj), file: set.file, line: set.line },
        ),
      );
    }
  }
  return out;
}
