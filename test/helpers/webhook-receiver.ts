import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** The source tree's fixtures, also from the compiled copy the benchmarks run (dist/test/helpers). */
const TLS = [join(__dirname, '..', 'fixtures'), join(__dirname, '..', '..', '..', 'test', 'fixtures')]
  .map((dir) => join(dir, 'webhook-tls'))
  .find((dir) => existsSync(dir))!;
/** The receiver's certificate: the test app trusts it through WEBHOOK_CA_FILE. */
export const RECEIVER_CA_FILE = join(TLS, 'cert.pem');

/** The environment a test app needs to deliver to this receiver (loopback, its own CA, quick retries). */
export const WEBHOOK_TEST_ENV = {
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
  WEBHOOK_CA_FILE: RECEIVER_CA_FILE,
  WEBHOOK_RETRY_LIMIT: '3',
  WEBHOOK_RETRY_DELAY_SECONDS: '1',
  WEBHOOK_TIMEOUT_MS: '1000',
};

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A local HTTPS endpoint recording every POST. Per path: answers 200, or fails the first `failFirst`
 * attempts with 500, or never answers (`silent`), or answers after `delayMs`.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly behaviour = new Map<string, { failFirst?: number; silent?: boolean; delayMs?: number }>();
  private readonly seen = new Map<string, number>();
  private server: Server;
  private readonly hanging = new Set<import('node:http').ServerResponse>();
  /** Silent requests the sender gave up on (its timeout), and the most held open at once, per path and overall. */
  silentEnded = 0;
  readonly peakHanging = new Map<string, number>();

  async start(): Promise<void> {
    this.server = createServer(
      { key: readFileSync(join(TLS, 'key.pem')), cert: readFileSync(RECEIVER_CA_FILE) },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const path = req.url ?? '/';
          const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
          this.received.push({ path, headers, body: Buffer.concat(chunks).toString('utf8') });
          const behaviour = this.behaviour.get(path) ?? {};
          const count = (this.seen.get(path) ?? 0) + 1;
          this.seen.set(path, count);
          if (behaviour.silent) return void this.hang(path, res);
          res.statusCode = count <= (behaviour.failFirst ?? 0) ? 500 : 200;
          setTimeout(() => res.end(), behaviour.delayMs ?? 0);
        });
      },
    );
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  private hang(path: string, res: import('node:http').ServerResponse): void {
    this.hanging.add(res);
    const open = (p?: string) => [...this.hanging].filter((r) => !p || r.req.url === p).length;
    this.peakHanging.set(path, Math.max(this.peakHanging.get(path) ?? 0, open(path)));
    this.peakHanging.set('*', Math.max(this.peakHanging.get('*') ?? 0, open()));
    res.on('close', () => {
      if (this.hanging.delete(res)) this.silentEnded++;
    });
  }

  /** The https URL of `path` on this receiver; `behaviour` says how it answers. */
  url(path: string, behaviour: { failFirst?: number; silent?: boolean; delayMs?: number } = {}): string {
    this.behaviour.set(path, behaviour);
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    for (const res of [...this.hanging]) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
