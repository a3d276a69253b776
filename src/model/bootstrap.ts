/** What the bootstrap installs besides Argo CD's own objects: the sealed-secrets controllers. */
import { z } from 'zod';

/** A Helm chart version as its repository index lists it: literal, so bots and upgrades can bump it. */
const ChartVersion = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be a literal chart version such as 2.17.3');

export const SealedSecrets = z
  .strictObject({
    install: z
      .boolean()
      .default(false)
      .describe(
        'Install the sealed-secrets controller with Argo CD: on the management cluster from bootstrap/, and on every cluster in sync wave -1, before the SealedSecrets the other applications carry. Leave false where the clusters run one already.',
      ),
    version: ChartVersion.default('2.17.3').describe('Version of the sealed-secrets Helm chart (https://bitnami-labs.github.io/sealed-secrets).'),
  })
  .describe('The sealed-secrets controller, which turns the SealedSecrets of this repo into Secrets on each cluster.');
