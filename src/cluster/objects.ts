/**
 * The fields the cluster steps read from objects the API server sends (written by others: the
 * cluster-registry controller, Argo CD, the SMM operator), as schemas: anything else is passed along
 * untouched or ignored.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';

const Labels = z.record(z.string(), z.string()).optional();
const Meta = z.object({ name: z.string().optional(), namespace: z.string().optional(), labels: Labels }).loose();

export const RegistryCluster = z.object({ metadata: Meta.optional(), spec: z.unknown() }).loose();
export const RegistrySecret = z.object({ metadata: Meta.optional(), type: z.string().optional(), data: z.record(z.string(), z.string()).optional() }).loose();
export const ApplicationList = z.object({
  items: z
    .array(
      z
        .object({
          metadata: z.object({ name: z.string() }).loose(),
          status: z
            .object({
              sync: z.object({ status: z.string().optional() }).loose().optional(),
              health: z.object({ status: z.string().optional() }).loose().optional(),
            })
            .loose()
            .optional(),
        })
        .loose(),
    )
    .default([]),
});
export const ControlPlaneStatus = z.object({ status: z.object({ status: z.unknown() }).loose().optional() }).loose();
/** What apply needs of an object: its kind and name. */
export const Applicable = z
  .object({ apiVersion: z.string(), kind: z.string(), metadata: z.object({ name: z.string(), namespace: z.string().optional() }).loose() })
  .loose();

/** Reads `value` through `schema`, or says which object the server sent that does not fit. */
export function readObject<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UserError(`${what}: unexpected object from the API server (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  return r.data;
}
export type ApplicableObject = z.infer<typeof Applicable>;
