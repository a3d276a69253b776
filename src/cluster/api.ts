/**
 * The few Kubernetes API calls the cluster commands make, behind one small interface so it is plain
 * what a real cluster receives: GET, LIST, and server-side apply (PATCH application/apply-patch+yaml
 * with fieldManager calisti-gitops), which makes every write idempotent.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { UserError } from '../errors.js';
import type { ContextCredentials } from './kubeconfig.js';

export const FIELD_MANAGER = 'calisti-gitops';

/** A Kubernetes object as the API server sends it: read through a schema before use (see objects.ts). */
export type KubeObject = Record<string, unknown>;

export interface ClusterApi {
  readonly context: string;
  get(path: string): Promise<KubeObject | undefined>;
  apply(obj: KubeObject, opts?: { dryRun?: boolean }): Promise<KubeObject>;
}

/** The REST path of an object: core and named groups, namespaced or not. */
export function objectPath(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }, plural = pluralOf(obj.kind)): string {
  const prefix = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = obj.metadata.namespace ? `/namespaces/${encodeURIComponent(obj.metadata.namespace)}` : '';
  return `${prefix}${ns}/${plural}/${encodeURIComponent(obj.metadata.name)}`;
}

const IRREGULAR: Record<string, string> = { IstioControlPlane: 'istiocontrolplanes', ConfigMap: 'configmaps', ApplicationSet: 'applicationsets' };
export function pluralOf(kind: string): string {
  if (IRREGULAR[kind]) return IRREGULAR[kind]!;
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

export class HttpClusterApi implements ClusterApi {
  constructor(
    private readonly creds: ContextCredentials,
    private readonly requestOptions: RequestOptions,
  ) {}

  get context(): string {
    return this.creds.context;
  }

  private call(method: string, path: string, body?: string, contentType?: string): Promise<{ status: number; body: string }> {
    const url = new URL(path, this.creds.server.endsWith('/') ? this.creds.server : `${this.creds.server}/`);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          ...this.requestOptions,
          method,
          timeout: 15_000,
          headers: { ...(this.requestOptions.headers ?? {}), Accept: 'application/json', ...(contentType ? { 'Content-Type': contentType } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (e) =>
        reject(
          new UserError(
            `cannot reach ${this.creds.server} (context ${this.creds.context}): ${(e as NodeJS.ErrnoException).code ?? e.message}`,
            'check the context and that the API server is reachable from here',
          ),
        ),
      );
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  async get(path: string): Promise<KubeObject | undefined> {
    const r = await this.call('GET', path);
    if (r.status === 404) return undefined;
    if (r.status >= 300) throw apiError(this.creds.context, 'GET', path, r);
    return JSON.parse(r.body) as KubeObject;
  }

  async apply(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const path = `${objectPath(obj as never)}?fieldManager=${FIELD_MANAGER}&force=true${opts.dryRun ? '&dryRun=All' : ''}`;
    const r = await this.call('PATCH', path, JSON.stringify(obj), 'application/apply-patch+yaml');
    if (r.status >= 300) throw apiError(this.creds.context, 'PATCH', path, r);
    return JSON.parse(r.body) as KubeObject;
  }
}

/** API errors carry the server's message, never the request body (it may hold a secret). */
function apiError(context: string, method: string, path: string, r: { status: number; body: string }): UserError {
  let reason = '';
  try {
    reason = JSON.parse(r.body).message ?? '';
  } catch {
    // not a Status object
  }
  return new UserError(`${method} ${path.split('?')[0]} on context ${context}: HTTP ${r.status}${reason ? ` ${reason}` : ''}`);
}

export async function connect(kc: import('@kubernetes/client-node').KubeConfig, creds: ContextCredentials): Promise<ClusterApi> {
  const previous = kc.getCurrentContext();
  kc.setCurrentContext(creds.context);
  const opts: RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (e) {
    throw new UserError(`cannot use context ${creds.context}: ${(e as Error).message}`);
  } finally {
    kc.setCurrentContext(previous);
  }
  return new HttpClusterApi(creds, opts);
}
