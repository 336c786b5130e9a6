import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { ActorService } from '../auth/actor.service';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueriesService } from '../bulletins/bulletin-queries.service';
import { AppError, ErrorCode, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import {
  BulletinEventKind,
  BulletinEventMessage,
  BulletinEventsService,
  SequencedEvent,
} from '../notifications/bulletin-events.service';
import { matchesAlertFilter } from '../subscriptions/alert-filter';
import { AlertSubscription, Channel } from '../subscriptions/alert-subscription.entity';
import { AlertSubscriptionsService } from '../subscriptions/alert-subscriptions.service';
import { OrganisationType } from '../organisations/organisation-type';
import { organisationTypes } from '../common/organisation-refs';

export interface BulletinEvent {
  kind: BulletinEventKind;
  bulletin: Bulletin;
  cursor: string;
}

/**
 * Real-time delivery of bulletin events to one connected subscriber. Every event is authorized at
 * delivery time, as the subscriber, against the database's current state: a sharing rule deleted or a
 * session revoked a second ago stops delivery.
 */
const REVOKED = 'revoked' as const;
/** What one session may receive of one event: the bulletin, nothing, or the end of its stream. */
type Decision = { bulletin: Bulletin; authorType: OrganisationType } | null | typeof REVOKED;

@Injectable()
export class RealtimeService {
  private readonly decisions = new WeakMap<BulletinEventMessage, Map<string, Promise<Decision>>>();

  constructor(
    private readonly db: DatabaseService,
    private readonly events: BulletinEventsService,
    private readonly queries: BulletinQueriesService,
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

  /**
   * The events the subscriber may see, as they come; with `after` (the cursor of the last event it
   * received before reconnecting), first those it missed since, each exactly once.
   */
  async *stream(
    actor: Actor,
    filter: AlertSubscription | null,
    after: string | null,
  ): AsyncGenerator<{ bulletinPublished: BulletinEvent }> {
    const live = this.events.events(); // listening (and buffering) before the missed events are read
    try {
      const missed = after === null ? [] : await this.events.after(after);
      const replayed = new Set(missed.map((e) => e.seq));
      for (const event of missed) {
        const delivery = await this.delivery(actor, filter, event);
        if (delivery) yield delivery;
      }
      for await (const event of live) {
        if (replayed.has(event.seq)) continue;
        const delivery = await this.delivery(actor, filter, event);
        if (delivery) yield delivery;
      }
    } finally {
      await live.return?.();
    }
  }

  private async delivery(actor: Actor, filter: AlertSubscription | null, event: SequencedEvent) {
    const decision = await this.decide(actor, event);
    if (decision === REVOKED) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Session is no longer valid');
    if (!decision || (filter && !matchesAlertFilter(filter, decision.bulletin, decision.authorType))) return null;
    return { bulletinPublished: { kind: event.kind, bulletin: decision.bulletin, cursor: event.seq } };
  }

  /**
   * Whether the session may see the event's bulletin now, decided once per event and session however
   * many subscriptions it holds (every subscriber gets the same event object), so duplicate
   * subscriptions do not multiply the database work of a publish.
   */
  private decide(actor: Actor, event: BulletinEventMessage): Promise<Decision> {
    const decisions = this.decisions.get(event) ?? new Map<string, Promise<Decision>>();
    this.decisions.set(event, decisions);
    const key = `${actor.sessionId}|${actor.organisationId ?? ''}`;
    let decision = decisions.get(key);
    if (!decision) {
      decision = this.authorise(actor, event);
      decisions.set(key, decision);
    }
    return decision;
  }

  private async authorise(actor: Actor, event: BulletinEventMessage): Promise<Decision> {
    const current = await this.actors.resolve({ sub: actor.userId, sid: actor.sessionId, org: actor.organisationId });
    if (!current) return REVOKED;
    return this.db.withRequest({ actor: current }, async () => {
      const bulletin = await this.queries.get(current, event.bulletinId).catch((err: unknown) => {
        if (err instanceof AppError && err.extensions.code === ErrorCode.NOT_FOUND) return null;
        throw err;
      });
      if (!bulletin) return null;
      const types = await organisationTypes(await this.db.em(), [bulletin.authorOrganisationId]);
      return { bulletin, authorType: types.get(bulletin.authorOrganisationId)! };
    });
  }
}
