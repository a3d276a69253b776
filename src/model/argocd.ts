/**
 * Argo CD settings of the model: sync options, ignoreDifferences and preserveResourcesOnDeletion
 * fleet-wide and per generated application, and the name a cluster has in Argo CD when it is not
 * the model's. Spread into `argocd` and `clusters[]` in ./schema.ts.
 */
import { z } from 'zod';

/** Every application the renderer generates (src/render/apps/registry.ts; a test keeps the two equal). */
export const GENERATED_APPS = ['sealed-secrets', 'smm-operator', 'smm-controlplane', 'demo-app', 'mesh-policies', 'mesh-slos'] as const;

/**
 * Application-level sync options Argo CD reads, with the values it accepts (Argo CD docs,
 * user-guide/sync-options). Argo CD ignores an option it does not know, so a typo would pass silently.
 */
const SYNC_OPTIONS: Record<string, readonly string[]> = {
  Validate: ['true', 'false'],
  PruneLast: ['true'],
  CreateNamespace: ['true'],
  Replace: ['true', 'false'],
  ServerSideApply: ['true', 'false'],
  SkipDryRunOnMissingResource: ['true'],
  RespectIgnoreDifferences: ['true'],
  ApplyOutOfSyncOnly: ['true'],
  PrunePropagationPolicy: ['foreground', 'background', 'orphan'],
  FailOnSharedResource: ['true'],
  ClientSideApplyMigration: ['true', 'false'],
};

export const SyncOption = z.string().superRefine((s, ctx) => {
  const [name, value, ...rest] = s.split('=');
  const allowed = name === undefined ? undefined : SYNC_OPTIONS[name];
  if (!allowed || value === undefined || rest.length > 0) {
    ctx.addIssue({ code: 'custom', message: `not an Argo CD sync option; one of ${Object.keys(SYNC_OPTIONS).join(', ')} as Name=value` });
  } else if (!allowed.includes(value)) {
    ctx.addIssue({ code: 'custom', message: `${name} takes ${allowed.join(' or ')}` });
  }
});

/** The docs' sync options for every Calisti application (2.3.7). */
export const DOCS_SYNC_OPTIONS = ['Validate=false', 'PruneLast=true', 'CreateNamespace=true', 'Replace=true'];

const Pointer = z.string().regex(/^\/.*/, 'must be a JSON pointer starting with /');
export const IgnoreDifference = z
  .strictObject({
    group: z.string().optional().describe('API group of the resources; empty or absent for the core group.'),
    kind: z.string().min(1).describe('Kind of the resources, e.g. MutatingWebhookConfiguration.'),
    name: z.string().optional().describe('Only the resource of this name.'),
    namespace: z.string().optional().describe('Only resources in this namespace.'),
    jsonPointers: z.array(Pointer).optional().describe('Fields to ignore, as JSON pointers (/spec/replicas).'),
    jqPathExpressions: z.array(z.string().min(1)).optional().describe('Fields to ignore, as jq path expressions (.webhooks[]?.clientConfig.caBundle).'),
    managedFieldsManagers: z.array(z.string().min(1)).optional().describe('Ignore every field these field managers own (server-side apply).'),
  })
  .refine((d) => (d.jsonPointers?.length ?? 0) + (d.jqPathExpressions?.length ?? 0) + (d.managedFieldsManagers?.length ?? 0) > 0, {
    message: 'names no field: set jsonPointers, jqPathExpressions or managedFieldsManagers',
  })
  .describe('One Argo CD ignoreDifferences entry: differences Argo CD does not report (and, with RespectIgnoreDifferences=true, does not overwrite).');
export type IgnoreDifference = z.infer<typeof IgnoreDifference>;

const ApplicationSettings = z
  .strictObject({
    syncOptions: z.array(SyncOption).optional().describe("This application's sync options, replacing argocd.syncOptions and the application's own defaults."),
    ignoreDifferences: z.array(IgnoreDifference).default([]).describe("Added to this application's ignoreDifferences."),
  })
  .describe('Argo CD settings of one generated application.');

/** Spread into the model's `argocd` object (./schema.ts). */
export const ArgoCdExtras = {
  syncOptions: z
    .array(SyncOption)
    .default(DOCS_SYNC_OPTIONS)
    .describe(
      "Sync options of every generated Application (default: the docs' Validate=false, PruneLast=true, CreateNamespace=true, Replace=true). Each application adds its own defaults (SkipDryRunOnMissingResource=true where its custom resources need CRDs that are installed during the sync, RespectIgnoreDifferences=true where it ignores differences).",
    ),
  ignoreDifferences: z.array(IgnoreDifference).default([]).describe('Added to the ignoreDifferences of every generated Application.'),
  preserveResourcesOnDeletion: z
    .boolean()
    .default(false)
    .describe(
      'Keep what an Application installed when its ApplicationSet deletes it (a cluster removed from the model): the ApplicationSets set syncPolicy.preserveResourcesOnDeletion and the Applications carry no resources finalizer.',
    ),
  applications: z
    .partialRecord(z.enum(GENERATED_APPS), ApplicationSettings)
    .default({})
    .describe(`Settings per generated application: ${GENERATED_APPS.join(', ')}.`),
};

/** What Argo CD calls a cluster: `argocd cluster add` uses the kubeconfig context, an ARN on EKS. */
const ArgoClusterName = z
  .string()
  .max(253)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/,
    'must be letters, digits and . _ : / @ -, as Argo CD cluster names from kubeconfig contexts are (no spaces or braces)',
  );

/** Spread into a cluster (./schema.ts). */
export const ClusterArgoCd = z
  .strictObject({
    name: ArgoClusterName.optional().describe(
      "The cluster's name in Argo CD when it is not the model's name (argocd cluster add names clusters after the kubeconfig context, an ARN on EKS). Default: the model's name.",
    ),
  })
  .optional()
  .describe('How Argo CD knows this cluster.');
