/**
 * Kubernetes label selectors as Argo CD evaluates them: matchLabels are equality requirements,
 * matchExpressions In / NotIn / Exists / DoesNotExist. Argo's own copy for generator `selector`s does not
 * validate label values (so cluster URLs can be matched); an empty selector matches everything.
 */
import { z } from 'zod';
import { AppSetError } from './types.js';

export const SelectorSchema = z
  .object({
    matchLabels: z.record(z.string(), z.string()).nullish(),
    matchExpressions: z.array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() })).nullish(),
  })
  .nullish();
export type Selector = z.infer<typeof SelectorSchema>;

export type Labels = Record<string, string>;
type Requirement = (labels: Labels) => boolean;

/** Parses a selector once; throws Argo's "error parsing label selector" for an unknown operator or bad values. */
export function compileSelector(raw: unknown): Requirement {
  const parsed = SelectorSchema.safeParse(raw);
  if (!parsed.success) throw new AppSetError(`error parsing label selector: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const sel = parsed.data ?? {};
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push((l) => l[k] === v);
  for (const e of sel.matchExpressions ?? []) {
    const values = e.values ?? [];
    const op = e.operator;
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      throw new AppSetError(`error parsing label selector: values: Invalid value: for 'in', 'notin' operators, values set can't be empty`);
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      throw new AppSetError(`error parsing label selector: values: Invalid value: values set must be empty for exists and does not exist`);
    }
    if (op === 'In') reqs.push((l) => e.key in l && values.includes(l[e.key]!));
    else if (op === 'NotIn') reqs.push((l) => !(e.key in l) || !values.includes(l[e.key]!));
    else if (op === 'Exists') reqs.push((l) => e.key in l);
    else if (op === 'DoesNotExist') reqs.push((l) => !(e.key in l));
    else throw new AppSetError(`error parsing label selector: "${op}" is not a valid label selector operator`);
  }
  return (labels) => reqs.every((r) => r(labels));
}

/** True when the selector has any requirement (Argo drops the implicit in-cluster then). */
export function selectorIsEmpty(raw: unknown): boolean {
  const sel = SelectorSchema.safeParse(raw).data ?? {};
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}
