import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { registerEnumType } from '@nestjs/graphql';
import { PubSub } from 'graphql-subscriptions';
import { EventEmitter } from 'node:events';
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

/** The e-mail fan-out job: the event, and whose identity can read the bulletin to fan it out. */
export interface FanoutJob extends BulletinEventMessage {
  authorOrganisationId: string;
  authorUserId: string;
}

const CHANNEL = 'bulletin_events';
const TOPIC = 'bulletin';

/**
 * Fans bulletin events out to every server instance through Postgres LISTEN/NOTIFY. `announce` runs in
 * the publishing transaction: Postgres delivers a notification only when that transaction commits, so
 * a rolled-back publish announces nothing.
 */
@Injectable()
export class BulletinEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BulletinEventsService.name);
  private readonly pubsub = new PubSub({ eventEmitter: unboundedEmitter() });
  private listener?: Client;
  private closing = false;
  private reconnect?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): Promise<void> {
    return this.listen();
  }

  /**
   * A dedicated connection LISTENs; if it drops (a database restart, a failover), it is opened again,
   * after a second and then backing off while the database stays away. Events announced while it was down are not replayed: real time is best effort,
   * e-mail is the durable channel.
   */
  private async listen(): Promise<void> {
    const { url } = this.dataSource.options as { url?: string };
    const listener = new Client({ connectionString: url, application_name: 'harbourwatch-listen' });
    this.listener = listener;
    listener.on('notification', (n) => {
      try {
        void this.pubsub.publish(TOPIC, JSON.parse(n.payload ?? '') as BulletinEventMessage);
      } catch (err) {
        this.logger.error(`Ignoring a malformed ${CHANNEL} payload: ${String(err)}`);
      }
    });
    listener.on('error', (err) => this.logger.warn(`LISTEN connection lost: ${err.message}`));
    listener.on('end', () => this.retryListen(1000));
    await listener.connect();
    await listener.query(`LISTEN ${CHANNEL}`);
  }

  /** Reopens the LISTEN connection after `delay`, backing off (to 30 s) while the database is away. */
  private retryListen(delay: number): void {
    if (this.closing) return;
    clearTimeout(this.reconnect);
    this.reconnect = setTimeout(() => {
      if (this.closing) return;
      this.listen().catch((err) => {
        this.logger.warn(`LISTEN reconnect failed, retrying: ${String(err)}`);
        this.retryListen(Math.min(delay * 2, 30_000));
      });
    }, delay);
    this.reconnect.unref();
  }

  /**
   * In the publishing transaction: the real-time notification and the durable e-mail fan-out job,
   * both delivered only if it commits.
   */
  async announce(em: EntityManager, message: BulletinEventMessage, author: { organisationId: string; userId: string }): Promise<void> {
    await em.query(`SELECT pg_notify($1, $2)`, [CHANNEL, JSON.stringify(message)]);
    const fanout: FanoutJob = { ...message, authorOrganisationId: author.organisationId, authorUserId: author.userId };
    await this.outbox.enqueue(em, QUEUE.bulletinFanout, [
      { data: fanout, singletonKey: `${message.bulletinId}:${message.version}:${message.kind}` },
    ]);
  }

  /** Every event from every instance, from now on. */
  events(): AsyncIterableIterator<BulletinEventMessage> {
    return this.pubsub.asyncIterableIterator<BulletinEventMessage>(TOPIC);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnect);
    await this.listener?.end().catch(() => undefined);
  }
}

/** One listener per connected subscriber: Node's default warning at 10 listeners does not apply. */
function unboundedEmitter(): EventEmitter {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return emitter;
}
