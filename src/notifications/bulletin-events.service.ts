import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { registerEnumType } from '@nestjs/graphql';
import { EventEmitter, on } from 'node:events';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from './outbox.service';
import { QUEUE } from './outbox-queues';

export enum BulletinEventKind {
  PUBLISHED = 'PUBLISHED',
  REVISED = 'REVISED',
  RETRACTED = 'RETRACTED',
}
registerEnumType(BulletinEventKind, { name: 'BulletinEventKind' });

/** What travels between instances: ids only. Each instance loads and authorizes for its own subscribers. */
export interface BulletinEventMessage {
  kind: BulletinEventKind;
  bulletinId: string;
  version: number;
}

/** An event as kept in `bulletin_events`: its sequence number is the cursor a subscriber resumes from. */
export interface SequencedEvent extends BulletinEventMessage {
  seq: string;
}

/** The e-mail fan-out job: the event, and whose identity can read the bulletin to fan it out. */
export interface FanoutJob extends BulletinEventMessage {
  authorOrganisationId: string;
  authorUserId: string;
}

const CHANNEL = 'bulletin_events';
const TOPIC = 'bulletin';
/** Held from taking a sequence number to commit, so numbers follow commit order and "after N" is exact. */
const EVENTS_LOCK = 0x4857_4556; // 'HWEV'
const RETENTION = '7 days';
/** The most events one catch-up or resume replays. */
const MAX_REPLAY = 1000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/** Sequence numbers remembered as published, so an event both notified and fetched goes out once. */
const REMEMBERED = 10_000;

/**
 * Fans bulletin events out to every server instance through Postgres LISTEN/NOTIFY. `announce` runs in
 * the publishing transaction: the event is kept and notified only if it commits. An instance whose
 * LISTEN connection dropped reopens it (after 1 s, doubling up to 30 s while the database stays away)
 * and then publishes everything committed after the last event it published, so nothing is lost.
 */
@Injectable()
export class BulletinEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BulletinEventsService.name);
  /** One listener per connected subscriber: Node's default warning at 10 listeners does not apply. */
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly published = new Set<string>();
  /** The highest sequence number published here; null until the first LISTEN. */
  private watermark: bigint | null = null;
  private listener?: Client;
  private closing = false;
  private reconnect?: NodeJS.Timeout;
  private retryDelay = FIRST_RETRY_MS;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): Promise<void> {
    return this.listen();
  }

  private async listen(): Promise<void> {
    const { url } = this.dataSource.options as { url?: string };
    const listener = new Client({ connectionString: url, application_name: 'harbourwatch-listen' });
    listener.on('notification', (n) => {
      try {
        this.publish(JSON.parse(n.payload ?? '') as SequencedEvent);
      } catch (err) {
        this.logger.error(`Ignoring a malformed ${CHANNEL} payload: ${String(err)}`);
      }
    });
    listener.on('error', (err) => this.logger.warn(`LISTEN connection lost: ${err.message}`));
    try {
      await listener.connect();
      await listener.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await listener.end().catch(() => undefined);
      throw err;
    }
    this.listener = listener;
    this.retryDelay = FIRST_RETRY_MS;
    listener.on('end', () => this.scheduleReconnect());
    // Listening now: what committed before it and after the watermark is fetched (nothing on first start).
    if (this.watermark === null) {
      const { rows } = await listener.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM bulletin_events`);
      this.watermark ??= BigInt(rows[0].seq);
    } else {
      for (const event of await this.after(String(this.watermark))) this.publish(event);
    }
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    clearTimeout(this.reconnect);
    this.reconnect = setTimeout(() => {
      if (this.closing) return;
      this.listen().catch((err) => {
        this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
        this.logger.warn(`LISTEN reconnect failed, retrying in ${this.retryDelay / 1000} s: ${String(err)}`);
        this.scheduleReconnect();
      });
    }, this.retryDelay);
    this.reconnect.unref();
  }

  private publish(event: SequencedEvent): void {
    if (this.published.has(event.seq)) return;
    this.published.add(event.seq);
    if (this.published.size > REMEMBERED) this.published.delete(this.published.values().next().value!);
    if (this.watermark === null || BigInt(event.seq) > this.watermark) this.watermark = BigInt(event.seq);
    this.emitter.emit(TOPIC, event);
  }

  /**
   * In the publishing transaction: the kept event, its real-time notification and the durable e-mail
   * fan-out job, all only if it commits.
   */
  async announce(
    em: EntityManager,
    message: BulletinEventMessage,
    author: { organisationId: string; userId: string },
  ): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [EVENTS_LOCK]);
    const [{ seq }] = await em.query(
      `INSERT INTO bulletin_events (kind, bulletin_id, version) VALUES ($1, $2, $3) RETURNING seq::text`,
      [message.kind, message.bulletinId, message.version],
    );
    await em.query(`SELECT pg_notify($1, $2)`, [CHANNEL, JSON.stringify({ ...message, seq } satisfies SequencedEvent)]);
    await em.query(`DELETE FROM bulletin_events WHERE created_at < now() - interval '${RETENTION}'`);
    const fanout: FanoutJob = { ...message, authorOrganisationId: author.organisationId, authorUserId: author.userId };
    await this.outbox.enqueue(em, QUEUE.bulletinFanout, [
      { data: fanout, singletonKey: `${message.bulletinId}:${message.version}:${message.kind}` },
    ]);
  }

  /** Kept events after `cursor`, oldest first (at most MAX_REPLAY), for a subscriber resuming. */
  async after(cursor: string): Promise<SequencedEvent[]> {
    return this.dataSource.query(
      `SELECT seq::text AS seq, kind, bulletin_id AS "bulletinId", version FROM bulletin_events
        WHERE seq > $1::bigint ORDER BY seq LIMIT ${MAX_REPLAY}`,
      [cursor],
    );
  }

  /** Every event from every instance, from the moment of this call (buffered until read). */
  events(): AsyncIterableIterator<SequencedEvent> {
    const source = on(this.emitter, TOPIC);
    return {
      next: async () => {
        const r = await source.next();
        return r.done ? r : { value: (r.value as [SequencedEvent])[0], done: false };
      },
      return: async () => {
        await source.return?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnect);
    await this.listener?.end().catch(() => undefined);
  }
}
