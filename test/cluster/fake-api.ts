/** A tiny stand-in Kubernetes API server: it stores what it is sent and records every request. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  contentType?: string;
  authorization?: string;
  body?: Record<string, any>;
}

export class FakeApi {
  readonly requests: Recorded[] = [];
  readonly objects = new Map<string, Record<string, any>>();
  private server?: Server;
  url = '';
  /** What the stand-in token controller puts into a service-account-token Secret. */
  readonly serviceAccountToken = 'sa-token-from-the-token-controller';

  constructor(private readonly token: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const rec: Recorded = { method: req.method!, path: req.url!, contentType: req.headers['content-type'], authorization: req.headers.authorization };
        if (raw) rec.body = JSON.parse(raw);
        this.requests.push(rec);
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { kind: 'Status', message: 'Unauthorized' });
        const path = req.url!.split('?')[0]!;
        if (req.method === 'GET') {
          if (path.endsWith('/applications')) {
            const prefix = `${path}/`;
            return send(200, { items: [...this.objects].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v) });
          }
          const o = this.objects.get(path);
          return o ? send(200, o) : send(404, { kind: 'Status', message: 'not found' });
        }
        if (req.method === 'PATCH') {
          if (req.url!.includes('dryRun=All')) return send(200, rec.body);
          const stored =
            rec.body!.type === 'kubernetes.io/service-account-token'
              ? {
                  ...rec.body,
                  data: { token: Buffer.from(this.serviceAccountToken).toString('base64'), 'ca.crt': Buffer.from('cluster-ca').toString('base64') },
                }
              : rec.body!;
          this.objects.set(path, stored);
          return send(200, stored);
        }
        send(405, { kind: 'Status', message: 'method not allowed' });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

export function kubeconfig(contexts: { name: string; server: string; token?: string; user?: Record<string, unknown> }[]): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contexts[0]!.name,
    // The stand-in speaks plain HTTP, which client-node only allows with TLS verification off.
    clusters: contexts.map((c) => ({
      name: c.name,
      cluster: c.server.startsWith('http:')
        ? { server: c.server, 'insecure-skip-tls-verify': true }
        : { server: c.server, 'certificate-authority-data': Buffer.from('test-ca').toString('base64') },
    })),
    users: contexts.map((c) => ({ name: c.name, user: c.user ?? { token: c.token } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
  });
}
