/**
 * OIDC login for the dashboard (docs 2.5.10.2) without the client secret in git. The ControlPlane
 * gets every OIDC setting but the secret; the secret is sealed (`calisti-gitops seal --target
 * oidc`) as a ready merge patch, and a PostSync Job applies it to the ControlPlane, whose field
 * takes only a literal. Argo CD keeps it: a field git does not set is neither a diff nor pruned.
 * Until it is sealed, a placeholder Secret stands there and no Job runs.
 */
import type { Cluster } from '../../../model/schema.js';
import type { SealedStore } from '../../../secrets/store.js';
import { CONTROL_PLANE_NAME, NS, PLACEHOLDER_ANNOTATION, SYNC_WAVE, WAVE } from '../../layout.js';
import { sealedSecret } from '../../sealed-secret.js';
import type { K8sObject } from '../../yaml.js';

type Oidc = NonNullable<Cluster['dashboard']['oidc']>;

/** The sealed Secret and the Job share this name; `seal` writes the entry under it. */
export const OIDC_SECRET = 'smm-oidc-client-secret';
/** The one key of the sealed Secret: a JSON merge patch of the ControlPlane. */
export const OIDC_PATCH_KEY = 'patch.json';
const MOUNT = '/oidc';

/** The ControlPlane's OIDC settings, the secret left out (spec.smm.auth.oidc). */
export function oidcSettings(o: Oidc): Record<string, unknown> {
  return {
    enabled: true,
    client: { id: o.clientID, issuerURL: o.issuerURL },
    ...(o.username ? { username: o.username } : {}),
    ...(o.groups ? { groups: o.groups } : {}),
    ...(o.requiredClaims ? { requiredClaims: o.requiredClaims } : {}),
  };
}

/** The merge patch `seal` encrypts: only the secret, so the rest stays in git where it can be read. */
export const oidcSecretPatch = (secret: string) => JSON.stringify({ spec: { smm: { auth: { oidc: { client: { secret } } } } } });

/** The overlay files of one cluster with OIDC: the sealed patch (or its placeholder) and, once sealed, the Job that applies it. */
export function oidcFiles(cluster: Cluster, sealed: SealedStore): [string, K8sObject][] {
  const oidc = cluster.dashboard.oidc;
  if (!oidc) return [];
  const entry = sealed.get(cluster.name, NS.registryAccess, OIDC_SECRET);
  const wave = { [SYNC_WAVE]: WAVE.secrets };
  if (!entry) {
    return [
      [
        'oidc-client-secret.yaml',
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: OIDC_SECRET,
            namespace: NS.registryAccess,
            annotations: {
              ...wave,
              [PLACEHOLDER_ANNOTATION]: `${OIDC_PATCH_KEY}: seal the OIDC client secret with calisti-gitops seal --target oidc (CALISTI_OIDC_CLIENT_SECRET)`,
            },
          },
          type: 'Opaque',
        },
      ],
    ];
  }
  const meta = { name: OIDC_SECRET, namespace: NS.registryAccess };
  return [
    ['oidc-client-secret.yaml', sealedSecret(entry, { annotations: wave })],
    ['oidc-service-account.yaml', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta }],
    [
      'oidc-cluster-role.yaml',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: OIDC_SECRET },
        rules: [{ apiGroups: ['smm.cisco.com'], resources: ['controlplanes'], resourceNames: [CONTROL_PLANE_NAME], verbs: ['get', 'patch'] }],
      },
    ],
    [
      'oidc-cluster-role-binding.yaml',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: OIDC_SECRET },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: OIDC_SECRET },
        subjects: [{ kind: 'ServiceAccount', ...meta }],
      },
    ],
    [
      'oidc-job.yaml',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          ...meta,
          annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' },
        },
        spec: {
          backoffLimit: 5,
          template: {
            spec: {
              serviceAccountName: OIDC_SECRET,
              restartPolicy: 'OnFailure',
              containers: [
                {
                  name: 'patch',
                  image: oidc.kubectlImage,
                  // An argument array and a patch file: the secret never passes through a shell or a command line.
                  command: ['kubectl', 'patch', 'controlplane', CONTROL_PLANE_NAME, '--type', 'merge', '--patch-file', `${MOUNT}/${OIDC_PATCH_KEY}`],
                  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
                  volumeMounts: [{ name: 'oidc', mountPath: MOUNT, readOnly: true }],
                },
              ],
              volumes: [{ name: 'oidc', secret: { secretName: OIDC_SECRET } }],
            },
          },
        },
      },
    ],
  ];
}
