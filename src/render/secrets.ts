/**
 * Secrets the generated repo needs: a SealedSecret when `seal` stored a sealed value for it, else a
 * marked placeholder. No credential is ever rendered in clear.
 */
import { sealedSecret } from './sealed-secret.js';
import type { SealedStore } from '../secrets/store.js';
import type { RenderContext } from './context.js';
import { NS, PLACEHOLDER_ANNOTATION, SYNC_WAVE, WAVE } from './layout.js';
import type { K8sObject } from './yaml.js';

/**
 * The registry pull secret the ControlPlane's registryAccess references (docs 2.3.5). The docs pass
 * the credentials as Helm parameters; here the Secret is its own object so it can be sealed.
 */
export function registryPullSecret(ctx: RenderContext, cluster: string, sealed: SealedStore): K8sObject {
  const entry = sealed.get(cluster, NS.registryAccess, ctx.pullSecretName);
  if (entry) return sealedSecret(entry, { annotations: { [SYNC_WAVE]: WAVE.pullSecret } });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: ctx.pullSecretName,
      namespace: NS.registryAccess,
      annotations: {
        [SYNC_WAVE]: WAVE.pullSecret,
        [PLACEHOLDER_ANNOTATION]: '.dockerconfigjson: seal with CALISTI_USERNAME and CALISTI_PASSWORD',
      },
    },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': '{"auths":{}}' },
  };
}
