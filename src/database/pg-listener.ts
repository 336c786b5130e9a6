import { Logger } from '@nestjs/common';
import { Client } from 'pg';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export interface ListenerHandlers {
  notification(payload: string): void;
  /** Listening (again): the listener's client may catch up on what was missed meanwhile. */
  connected?(client: Client): Promise<void>;
  /** Not listening any more: notifications may be missed until `connected` runs again. */
  lost?(): void;
}

/**
 * A Postgres LISTEN on its own connection. One that dropped is reopened after 1 s, doubling up to 30 s
 * while the database stays away, or at once when told the database answers again (`wake`); the
 * handlers hear when notifications may have been missed.
 */
export class PgListener {
  private readonly logger: Logger;
  private client?: Client;
  private closing = false;
  private reconnect?: NodeJS.Timeout;
  private retryDelay = FIRST_RETRY_MS;
  private attempting = false;
  /** LISTEN is in place: notifications arrive. */
  listening = false;

  constructor(
    private readonly url: string | undefined,
    private readonly channel: string,
    private readonly handlers: ListenerHandlers,
  ) {
    this.logger = new Logger(`Listen ${channel}`);
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'harbourwatch-listen' });
    client.on('notification', (n) => this.handlers.notification(n.payload ?? ''));
    client.on('error', (err) => this.logger.warn(`LISTEN connection lost: ${err.message}`));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    this.retryDelay = FIRST_RETRY_MS;
    client.on('end', () => {
      this.listening = false;
      this.handlers.lost?.();
      this.scheduleReconnect();
    });
    await this.handlers.connected?.(client);
    this.listening = true;
  }

  /** The database answers again (a readiness probe saw it): try now instead of at the end of the back-off. */
  wake(): void {
    if (this.closing || this.listening || this.attempting || !this.reconnect) return;
    clearTimeout(this.reconnect);
    this.attempt();
  }

  async stop(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnect);
    await this.client?.end().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    clearTimeout(this.reconnect);
    this.reconnect = setTimeout(() => this.attempt(), this.retryDelay);
    this.reconnect.unref();
  }

  private attempt(): void {
    if (this.closing) return;
    this.attempting = true;
    this.start()
      .catch((err) => {
        this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
        this.logger.warn(`LISTEN reconnect failed, retrying in ${this.retryDelay / 1000} s: ${String(err)}`);
        this.scheduleReconnect();
      })
      .finally(() => (this.attempting = false));
  }
}
