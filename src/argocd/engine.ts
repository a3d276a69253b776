/**
 * Offline ApplicationSet engine, rule for rule Argo CD's applicationset controller: each generator entry
 * makes parameter sets (generators/), the template (the ApplicationSet's, under the generator's own) is
 * rendered once per set (render.ts), `templatePatch` applied, then each Application is checked (checks.ts).
 * A generator or render error fails the whole ApplicationSet: Argo then creates nothing from it. An
 * Application that fails a check is not created; the others are.
 */
import { z } from 'zod';
import { checkApplications, type RejectionKind } from './checks.js';
import { transform } from './generators/index.js';
import { renderEach } from './render.js';
import type { Templating } from './replace.js';
import { applyTemplatePatch, renderPatches } from './template-patch.js';
import { AppSetError, isObj, OfflineError, type EngineContext, type Obj, type Params } from './types.js';

export { clusterFromSecret } from './cluster-secrets.js';
export { normalizeName } from './names.js';
export { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, type Cluster, type EngineContext, type GitSource, type Params, type RepoFiles } from './types.js';

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface Rejected {
  name: string;
  /** Which check it fails: the name, a duplicate, its project or its destination. */
  kind: RejectionKind;
  reason: string;
  /** The Application as generated, which Argo CD does not create. */
  app: Obj;
}
export interface Result {
  /** The Applications Argo CD creates, in generation order. */
  apps: Obj[];
  /** Why Argo rejects the whole ApplicationSet (then `apps` is empty) or single Applications (listed in `rejected`). */
  errors: string[];
  rejected: Rejected[];
  /** Why the set cannot be evaluated offline (then `apps` is empty). */
  skipped: string[];
  /** Notes that change nothing (an unrecognized generator). */
  warnings: string[];
}

const AppSetSpec = z.object({
  metadata: z.object({ name: z.string().nullish(), namespace: z.string().nullish() }).nullish(),
  spec: z
    .object({
      generators: z.array(z.record(z.string(), z.unknown())).nullish(),
      template: z.record(z.string(), z.unknown()).nullish(),
      templatePatch: z.string().nullish(),
      goTemplate: z.boolean().nullish(),
      goTemplateOptions: z.array(z.string()).nullish(),
      syncPolicy: z.object({ preserveResourcesOnDeletion: z.boolean().nullish() }).loose().nullish(),
    })
    .loose()
    .nullish(),
});

/** mergo.Merge(generatorTemplate, appSetTemplate): the generator's fields win; empty ones are filled. */
export function mergeTemplates(own: Obj | undefined, base: Obj): Obj {
  if (!own) return base;
  const out: Obj = { ...own };
  for (const [k, v] of Object.entries(base)) {
    const mine = out[k];
    if (isObj(mine) && isObj(v)) out[k] = mergeTemplates(mine, v);
    else if (isEmpty(mine)) out[k] = v;
  }
  return out;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);

/** The Application a template becomes before rendering (Argo's GetTempApplication). */
function tempApplication(template: Obj): Obj {
  const meta = isObj(template.metadata) ? template.metadata : {};
  const metadata: Obj = {};
  for (const k of ['name', 'namespace', 'labels', 'annotations', 'finalizers']) if (meta[k] !== undefined && meta[k] !== null) metadata[k] = meta[k];
  return { metadata, spec: isObj(template.spec) ? template.spec : {} };
}

export interface RenderOptions extends Templating {
  templatePatch?: string;
  preserveResourcesOnDeletion?: boolean;
}

/** One template rendered with each parameter set (RenderTemplateParams, then templatePatch). */
export function renderApplications(template: Obj, paramSets: Params[], o: RenderOptions): Obj[] {
  const base = tempApplication(template);
  // Thousands of Applications share their template's parts without parameters; nothing writes to them.
  const rendered = renderEach(
    paramSets.map((params) => ({ value: base, params })),
    o,
    true,
  );
  const patches = o.templatePatch ? renderPatches(o.templatePatch, paramSets, o) : undefined;
  return rendered.map((app, i) => {
    const params = paramSets[i]!;
    // Argo returns the template untouched (no rendering, no finalizer) for an empty parameter set.
    let out: Obj = Object.keys(params).length === 0 ? base : app;
    if (Object.keys(params).length > 0 && !o.preserveResourcesOnDeletion) {
      const meta = out.metadata as Obj;
      if (!Array.isArray(meta.finalizers) || meta.finalizers.length === 0) out = { ...out, metadata: { ...meta, finalizers: [FINALIZER] } };
    }
    if (patches) out = applyTemplatePatch(out, patches[i]!);
    return out;
  });
}

/** One Application template rendered with one parameter set. Throws AppSetError with Argo's message. */
export function renderApplication(template: Obj, params: Params, o: RenderOptions): Obj {
  return renderApplications(template, [params], o)[0]!;
}

/** The parameter sets one generator entry makes (all its generator kinds together). Throws AppSetError/OfflineError. */
export function generatorParams(generator: Obj, ctx: EngineContext, goTemplate: boolean, goTemplateOptions: string[] = []): Params[] {
  return transform(generator, {}, { ctx, goTemplate, goTemplateOptions, warn: () => {} }).flatMap((r) => r.params);
}

function application(app: Obj, namespace: string | undefined): Obj {
  const meta = app.metadata as Obj;
  const metadata: Obj = { name: meta.name };
  if (namespace) metadata.namespace = namespace;
  for (const k of ['labels', 'annotations', 'finalizers']) if (meta[k] !== undefined) metadata[k] = meta[k];
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata, spec: app.spec };
}

/** Expands one ApplicationSet as Argo CD's controller would. */
export function expand(appset: unknown, ctx: EngineContext): Result {
  const result: Result = { apps: [], errors: [], rejected: [], skipped: [], warnings: [] };
  const parsed = AppSetSpec.safeParse(appset);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    result.errors.push(`${issue.path.join('.')}: ${issue.message}`);
    return result;
  }
  const name = parsed.data.metadata?.name ?? '';
  const namespace = parsed.data.metadata?.namespace ?? undefined;
  const spec = parsed.data.spec ?? {};
  const t: RenderOptions = {
    goTemplate: spec.goTemplate === true,
    goTemplateOptions: spec.goTemplateOptions ?? [],
    ...(spec.templatePatch ? { templatePatch: spec.templatePatch } : {}),
    preserveResourcesOnDeletion: spec.syncPolicy?.preserveResourcesOnDeletion === true,
  };
  const generated: Obj[] = [];
  try {
    for (const entry of spec.generators ?? []) {
      const results = transform(entry, {}, { ctx, ...t, warn: (m) => result.warnings.push(m) });
      for (const r of results) generated.push(...renderApplications(mergeTemplates(r.template, spec.template ?? {}), r.params, t));
    }
  } catch (e) {
    if (e instanceof AppSetError) result.errors.push(e.message);
    else if (e instanceof OfflineError) result.skipped.push(e.message);
    else throw e;
    return result;
  }
  const problems = checkApplications(generated, name, ctx);
  generated.forEach((app, i) => {
    const problem = problems.get(i);
    const appName = String((app.metadata as Obj).name ?? '');
    if (problem) result.rejected.push({ name: appName, ...problem, app: application(app, namespace) });
    else result.apps.push(application(app, namespace));
  });
  result.errors.push(...[...new Set(result.rejected.map((r) => `${r.name || '(no name)'}: ${r.reason}`))]);
  return result;
}
