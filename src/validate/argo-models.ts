/**
 * Argo CD's kinds checked without their CRDs: the validators `@kubernetes-models/argo-cd` generates from
 * Argo CD's CRD schemas (types, required fields, enums). They do not reject unknown fields; with
 * `--crds <argo-cd>/manifests/crds` the structural checker does that too.
 */
import { AppProject, Application, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';

/** Each kind's validation, on data whose shape is unknown until it is validated. */
const MODELS: Record<string, (data: unknown) => void> = {
  Application: (data) => new Application(data as ConstructorParameters<typeof Application>[0]).validate(),
  ApplicationSet: (data) => new ApplicationSet(data as ConstructorParameters<typeof ApplicationSet>[0]).validate(),
  AppProject: (data) => new AppProject(data as ConstructorParameters<typeof AppProject>[0]).validate(),
};

interface AjvError {
  instancePath?: string;
  message?: string;
}

/** Problems as `path: message`, or undefined when the object is not one of Argo CD's kinds. */
export function argoModelProblems(obj: Record<string, unknown>): string[] | undefined {
  if (obj.apiVersion !== 'argoproj.io/v1alpha1') return undefined;
  const check = MODELS[String(obj.kind)];
  if (!check) return undefined;
  try {
    check(obj);
    return [];
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) return [(e as Error).message];
    return errors.map((x) => `${(x.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || '(root)'}: ${x.message ?? 'invalid'}`);
  }
}
