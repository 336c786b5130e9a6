import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { registerEnumType } from '@nestjs/graphql';
import { EventEmitter, on } from 'node:events';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import type { PgListener } from '../database/pg-listener';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';

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

/** The e-mail and webhook fan-out jobs: the event, and whose identity can read the bulletin to fan it out. */
/** What relates bulletins: a bulletin published or revised, or a sighting of some of its values. */
export enum CorrelationKind {
  BULLETIN = 'BULLETIN',
  SIGHTING = 'SIGHTING',
}

/** A correlation job (src/correlation works it): whose values to match, and who caused it (not told). */
export interface CorrelationJob {
  kind: CorrelationKind;
  bulletinId: string;
  version: number;
  /** The organisation the job acts for while it finds whom to ask. */
  organisationId: string;
  actorUserId: string;
  /** A sighting's search key; none: all the bulletin's values. */
  keys?: string[];
}

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
/** Sequence numbers remembered as published, so an event both notified and fetched goes out once. */
const REMEMBERED = 10_000;

/**
 * Fans bulletin events out to every server instance through Postgres LISTEN/NOTIFY. `announce` runs in
 * the publishing transaction: the event is kept and notified only if it commits. An instance whose
 * LISTEN connection dropped reopens it (PgListener) and then publishes everything committed after the
 * last event it published, so nothing is lost.
 */
@Injectable()
export class BulletinEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BulletinEventsService.name);
  /** One listener per connected subscriber: Node's default warning at 10 listeners does not apply. */
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly published = new Set<string>();
  /** The highest sequence number published here; null until the first LISTEN. */
  private watermark: bigint | null = null;
  private readonly listener: PgListener;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    db: DatabaseService,
  ) {
    this.listener = db.listen(CHANNEL, {
      notification: (payload) => {
        try {
          this.publish(JSON.parse(payload) as SequencedEvent);
        } catch (err) {
          this.logger.error(`Ignoring a malformed ${CHANNEL} payload: ${String(err)}`);
        }
      },
      connected: (client) => this.catchUp(client),
    });
  }

  onModuleInit(): Promise<void> {
    return this.listener.start();
  }

  /** Listening now: what committed before it and after the watermark is fetched (nothing on first start). */
  private async catchUp(client: Client): Promise<void> {
    if (this.watermark === null) {
      const { rows } = await client.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM bulletin_events`);
      this.watermark ??= BigInt(rows[0].seq);
    } else {
      for (const event of await this.after(String(this.watermark))) this.publish(event);
    }
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
   * and webhook fan-out jobs, all only if it commits.
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
    for (const queue of [QUEUE.bulletinFanout, QUEUE.webhookFanout])
      await this.outbox.enqueue(em, queue, [
        { data: fanout, singletonKey: `${message.bulletinId}:${message.version}:${message.kind}` },
      ]);
    if (message.kind !== BulletinEventKind.RETRACTED)
      await this.correlate(em, {
        kind: CorrelationKind.BULLETIN,
        bulletinId: message.bulletinId,
        version: message.version,
        organisationId: author.organisationId,
        actorUserId: author.userId,
      });
  }

  /** Correlation after the transaction commits, off the request (src/correlation). */
  async correlate(em: EntityManager, job: CorrelationJob): Promise<void> {
    await this.outbox.enqueue(em, QUEUE.correlation, [
      { data: job, singletonKey: `${job.bulletinId}:${job.version}:${job.kind}:${job.keys?.join(',') ?? ''}` },
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
    await this.listener.stop();
  }
}
