/**
 * Kubeconfig contexts through @kubernetes/client-node (loaded lazily: commands that never touch a
 * cluster stay fast). Credentials read here are only ever sealed or sent to their own API server.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

export interface ContextCredentials {
  context: string;
  server: string;
  caData?: string;
  insecure: boolean;
  bearerToken?: string;
  certData?: string;
  keyData?: string;
  exec?: { command: string; args: string[]; env: Record<string, string>; apiVersion: string };
}

type KubeConfig = import('@kubernetes/client-node').KubeConfig;

export async function loadKubeConfig(file?: string): Promise<KubeConfig> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  try {
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
  } catch (e) {
    throw new UserError(`cannot read the kubeconfig${file ? ` ${file}` : ''}: ${(e as Error).message.split('\n')[0]}`);
  }
  return kc;
}

const fileB64 = (path: string) => {
  try {
    return readFileSync(path).toString('base64');
  } catch {
    throw new UserError(`cannot read ${path} named in the kubeconfig`);
  }
};

export function contextCredentials(kc: KubeConfig, context: string): ContextCredentials {
  const ctx = kc.getContextObject(context);
  if (!ctx)
    throw new UserError(
      `no context "${context}" in the kubeconfig`,
      `contexts: ${
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || 'none'
      }`,
    );
  const cluster = kc.getCluster(ctx.cluster);
  const user = ctx.user ? kc.getUser(ctx.user) : null;
  if (!cluster) throw new UserError(`context "${context}" names cluster "${ctx.cluster}", which the kubeconfig does not define`);
  const creds: ContextCredentials = { context, server: cluster.server, insecure: cluster.skipTLSVerify === true };
  if (cluster.caData) creds.caData = cluster.caData;
  else if (cluster.caFile) creds.caData = fileB64(cluster.caFile);
  if (user?.token) creds.bearerToken = user.token;
  if (user?.certData) creds.certData = user.certData;
  else if (user?.certFile) creds.certData = fileB64(user.certFile);
  if (user?.keyData) creds.keyData = user.keyData;
  else if (user?.keyFile) creds.keyData = fileB64(user.keyFile);
  const exec = (user as { exec?: { command: string; args?: string[]; env?: { name: string; value: string }[]; apiVersion?: string } } | null)?.exec;
  if (exec) {
    creds.exec = {
      command: exec.command,
      args: exec.args ?? [],
      env: Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])),
      apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1',
    };
  }
  if (!creds.bearerToken && !creds.certData && !creds.exec)
    throw new UserError(`context "${context}" has no token, client certificate or exec plugin Argo CD could use`);
  return creds;
}
