/**
 * How a cluster is registered in Argo CD. Copying a person's kubeconfig credentials into Argo CD
 * breaks as soon as they expire or need a plugin Argo CD's image lacks, so, like `argocd cluster add`,
 * the default is a dedicated ServiceAccount on the cluster whose token is sealed; EKS clusters use
 * Argo CD's own IAM integration (`awsAuthConfig`) instead.
 */
import { UserError } from '../errors.js';
import type { ClusterApi } from './api.js';
import type { ContextCredentials } from './kubeconfig.js';

/** The names `argocd cluster add` uses, so an administrator recognises what was created. */
export const MANAGER = {
  namespace: 'kube-system',
  serviceAccount: 'argocd-manager',
  clusterRole: 'argocd-manager-role',
  clusterRoleBinding: 'argocd-manager-role-binding',
  tokenSecret: 'argocd-manager-long-lived-token',
} as const;

export type Registration = { mode: 'aws'; clusterName: string; roleARN?: string } | { mode: 'service-account' } | { mode: 'copy' };

/** `aws eks get-token --cluster-name X [--role-arn R]`, or aws-iam-authenticator's `token -i X [-r R]`. */
export function eksAuth(exec: ContextCredentials['exec']): { clusterName: string; roleARN?: string } | undefined {
  if (!exec) return undefined;
  const base = exec.command.split('/').pop();
  const args = exec.args;
  const value = (...flags: string[]) => {
    for (let i = 0; i < args.length; i++) {
      for (const f of flags) {
        if (args[i] === f) return args[i + 1];
        if (args[i]!.startsWith(`${f}=`)) return args[i]!.slice(f.length + 1);
      }
    }
    return undefined;
  };
  if (base === 'aws' && args.includes('eks') && args.includes('get-token')) {
    const clusterName = value('--cluster-name', '--cluster-id');
    return clusterName ? { clusterName, ...(value('--role-arn') ? { roleARN: value('--role-arn')! } : {}) } : undefined;
  }
  if (base === 'aws-iam-authenticator' && args.includes('token')) {
    const clusterName = value('-i', '--cluster-id');
    return clusterName ? { clusterName, ...(value('-r', '--role') ? { roleARN: value('-r', '--role')! } : {}) } : undefined;
  }
  return undefined;
}

/** A bearer token that is a JWT with an expiry (OIDC, `kubectl create token`) stops working soon. */
export function tokenExpiry(token: string | undefined): Date | undefined {
  const payload = token?.split('.')[1];
  if (!payload || token!.split('.').length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which registration a context gets. `offline` copies the context's own credentials and so refuses
 * the ones Argo CD cannot keep using: exec plugins (other than EKS) and expiring tokens.
 */
export function chooseRegistration(creds: ContextCredentials, offline: boolean): Registration {
  const aws = eksAuth(creds.exec);
  if (aws) return { mode: 'aws', ...aws };
  if (!offline) return { mode: 'service-account' };
  if (creds.exec) {
    throw new UserError(
      `context "${creds.context}" authenticates with the exec plugin "${creds.exec.command}", which runs on this machine: Argo CD's image does not have it`,
      `calisti-gitops clusters add --context ${creds.context} --cert <file> (without --offline: a dedicated ServiceAccount is created on the cluster and its token sealed)`,
    );
  }
  const expiry = tokenExpiry(creds.bearerToken);
  if (expiry) {
    throw new UserError(
      `the token of context "${creds.context}" expires (${expiry.toISOString()}): Argo CD would lose the cluster then`,
      `calisti-gitops clusters add --context ${creds.context} --cert <file> (without --offline: a dedicated ServiceAccount is created on the cluster and its token sealed)`,
    );
  }
  return { mode: 'copy' };
}

/** The ServiceAccount, its cluster-admin role and binding, and a long-lived token Secret. */
export function managerObjects(): Record<string, unknown>[] {
  const { namespace, serviceAccount, clusterRole, clusterRoleBinding, tokenSecret } = MANAGER;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterRole },
      rules: [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['*'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterRoleBinding },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: tokenSecret, namespace, annotations: { 'kubernetes.io/service-account.name': serviceAccount } },
      type: 'kubernetes.io/service-account-token',
    },
  ];
}

/**
 * Creates the manager objects (server-side apply: running again changes nothing) and waits for the
 * token controller to fill the Secret. Returns the token and the cluster's CA, base64 as in the Secret.
 */
export async function installManager(api: ClusterApi, wait = { attempts: 60, intervalMs: 500 }): Promise<{ token: string; caData?: string }> {
  for (const obj of managerObjects()) await api.apply(obj);
  const path = `/api/v1/namespaces/${MANAGER.namespace}/secrets/${MANAGER.tokenSecret}`;
  for (let i = 0; i < wait.attempts; i++) {
    const secret = (await api.get(path)) as { data?: { token?: string; 'ca.crt'?: string } } | undefined;
    const token = secret?.data?.token;
    if (token) return { token: Buffer.from(token, 'base64').toString('utf8'), ...(secret.data!['ca.crt'] ? { caData: secret.data!['ca.crt'] } : {}) };
    await new Promise((r) => setTimeout(r, wait.intervalMs));
  }
  throw new UserError(
    `the token Secret ${MANAGER.namespace}/${MANAGER.tokenSecret} on context ${api.context} was not filled in`,
    "check that the cluster's token controller runs (kube-controller-manager), then run clusters add again",
  );
}

/** The `config` of the Argo CD cluster Secret for each registration. */
export function clusterConfig(reg: Registration, creds: ContextCredentials, manager?: { token: string; caData?: string }): Record<string, unknown> {
  const caData = creds.caData ?? manager?.caData;
  const tls = { insecure: creds.insecure, ...(caData ? { caData } : {}) };
  switch (reg.mode) {
    case 'aws':
      return { awsAuthConfig: { clusterName: reg.clusterName, ...(reg.roleARN ? { roleARN: reg.roleARN } : {}) }, tlsClientConfig: tls };
    case 'service-account':
      return { bearerToken: manager!.token, tlsClientConfig: tls };
    case 'copy':
      return {
        ...(creds.bearerToken ? { bearerToken: creds.bearerToken } : {}),
        tlsClientConfig: { ...tls, ...(creds.certData ? { certData: creds.certData } : {}), ...(creds.keyData ? { keyData: creds.keyData } : {}) },
      };
  }
}
