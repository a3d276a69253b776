/** Kustomization objects: `resources`, `components` and `patches` only (no deprecated fields). */
import type { K8sObject } from './yaml.js';

export interface KustomizationFields {
  resources?: string[];
  components?: string[];
  patches?: { path: string }[];
}

export function kustomization(fields: KustomizationFields): K8sObject {
  const out: K8sObject = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
  if (fields.resources?.length) out.resources = fields.resources;
  if (fields.components?.length) out.components = fields.components;
  if (fields.patches?.length) out.patches = fields.patches;
  return out;
}
