import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { ActorService } from '../auth/actor.service';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueries } from '../bulletins/bulletin-queries.service';
import { AppError, ErrorCode, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { BulletinEventKind, BulletinEventMessage, BulletinEventsService } from '../notifications/bulletin-events.service';
import { matchesAlertFilter } from './alert-filter';
import { AlertSubscription, Channel } from './alert-subscription.entity';
import { AlertSubscriptionsService } from './alert-subscriptions.service';

export interface BulletinEvent {
  kind: BulletinEventKind;
  bulletin: Bulletin;
}

/**
 * Real-time delivery of bulletin events to one connected subscriber. Every event is authorized at
 * delivery time, as the subscriber, against the database's current state: a sharing rule deleted or a
 * session revoked a second ago stops delivery.
 */
@Injectable()
export class RealtimeService {
  constructor(
    private readonly db: DatabaseService,
    private readonly events: BulletinEventsService,
    private readonly queries: BulletinQueries,
    private readonly actors: ActorService,
    private readonly subscriptions: AlertSubscriptionsService,
  ) {}

  /** The caller's own subscription with the REALTIME channel (else NOT_FOUND), whose filter applies. */
  async subscriptionFor(actor: Actor, id: string): Promise<AlertSubscription> {
    return this.db.withRequest({ actor }, async () => {
      const subscription = await this.subscriptions.ownSubscription(actor, id);
      if (!subscription.channels.includes(Channel.REALTIME)) throw notFound('Alert subscription');
      return subscription;
    });
  }

  async *stream(actor: Actor, filter: AlertSubscription | null): AsyncGenerator<{ bulletinPublished: BulletinEvent }> {
    const events = this.events.events();
    try {
      for await (const event of events) {
        const current = await this.actors.resolve({ sub: actor.userId, sid: actor.sessionId, org: actor.organisationId });
        if (!current) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Session is no longer valid');
        const bulletin = await this.deliverable(current, event, filter);
        if (bulletin) yield { bulletinPublished: { kind: event.kind, bulletin } };
      }
    } finally {
      await events.return?.();
    }
  }

  private deliverable(actor: Actor, event: BulletinEventMessage, filter: AlertSubscription | null): Promise<Bulletin | null> {
    return this.db.withRequest({ actor }, async () => {
      const bulletin = await this.queries.get(actor, event.bulletinId).catch((err: unknown) => {
        if (err instanceof AppError && err.extensions.code === ErrorCode.NOT_FOUND) return null;
        throw err;
      });
      if (!bulletin || !filter) return bulletin;
      const [author] = await (await this.db.em()).query(`SELECT type FROM organisations WHERE id = $1`, [bulletin.authorOrganisationId]);
      return matchesAlertFilter(filter, bulletin, author.type) ? bulletin : null;
    });
  }
}
