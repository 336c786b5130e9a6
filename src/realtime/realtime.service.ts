import { Injectable } from '@nestjs/common';
import type { AccessTokenClaims, Actor } from '../common/actor';
import { ActorService, keyOf } from '../auth/actor.service';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueriesService } from '../bulletins/bulletin-queries.service';
import { AppError, ErrorCode, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import {
  BulletinEventKind,
  BulletinEventMessage,
  BulletinEventsService,
  SequencedEvent,
} from '../bulletins/bulletin-events.service';
import { matchesAlertFilter } from '../subscriptions/alert-filter';
import { AlertSubscription, Channel } from '../subscriptions/alert-subscription.entity';
import { AlertSubscriptionsService } from '../subscriptions/alert-subscriptions.service';
import { OrganisationType } from '../common/organisation-type';
import { organisationTypes } from '../organisations/organisation-refs';
import DataLoader from 'dataloader';
import { AbilityFactory, AdmittingRule } from '../sharing/ability.factory';
import { BulletinRepository } from '../bulletins/bulletin.repository';

export interface BulletinEvent {
  kind: BulletinEventKind;
  bulletin: Bulletin;
  cursor: string;
}

/**
 * Real-time delivery of bulletin events to one connected subscriber. Every event is authorized at
 * delivery time against the database's current state: a sharing rule deleted or a session revoked a
 * second ago stops delivery.
 */
const REVOKED = 'revoked' as const;
/** What one session may receive of one event: the bulletin, nothing, or the end of its stream. */
type Decision = { bulletin: Bulletin; authorType: OrganisationType } | null | typeof REVOKED;
/** The bulletin as one member read it (row-level security and ability), with the rules that applied. */
type Read = { bulletin: Bulletin; authorType: OrganisationType; rules: readonly AdmittingRule[] } | null;

/** One event's decisions on this instance, shared by all its subscribers. */
interface EventDecisions {
  /** Every subscriber's session checked in one round trip. */
  actors: DataLoader<AccessTokenClaims, Actor | null, string>;
  sessions: Map<string, Promise<Decision>>;
  /** Per (organisation, role): one read as one of its members. */
  groups: Map<string, Promise<Read>>;
  named?: Promise<Set<string>>;
}

@Injectable()
export class RealtimeService {
  private readonly decisions = new WeakMap<BulletinEventMessage, EventDecisions>();

  constructor(
    private readonly db: DatabaseService,
    private readonly events: BulletinEventsService,
    private readonly queries: BulletinQueriesService,
    private readonly bulletins: BulletinRepository,
    private readonly actors: ActorService,
    private readonly abilities: AbilityFactory,
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
   * many subscriptions it holds (every subscriber gets the same event object).
   */
  private decide(actor: Actor, event: BulletinEventMessage): Promise<Decision> {
    const decisions = this.decisionsOf(event);
    const key = `${actor.sessionId}|${actor.organisationId ?? ''}`;
    let decision = decisions.sessions.get(key);
    if (!decision) {
      decision = this.authorise(decisions, actor, event);
      decisions.sessions.set(key, decision);
    }
    return decision;
  }

  private decisionsOf(event: BulletinEventMessage): EventDecisions {
    let decisions = this.decisions.get(event);
    if (!decisions) {
      decisions = {
        actors: new DataLoader((claims) => this.actors.resolveMany(claims), { cacheKeyFn: keyOf }),
        sessions: new Map(),
        groups: new Map(),
      };
      this.decisions.set(event, decisions);
    }
    return decisions;
  }

  /**
   * A publish reaching a thousand subscribers costs a few reads, not thousands: the session check is
   * batched, and members of one organisation with one role share one read of the bulletin (row-level
   * security and ability, as that member), each then decided by its own ability under the same rules.
   * Where that member could not read it, only the users the bulletin names (author, TLP:RED recipients)
   * are read one by one.
   */
  private async authorise(decisions: EventDecisions, actor: Actor, event: BulletinEventMessage): Promise<Decision> {
    const current = await decisions.actors.load({ sub: actor.userId, sid: actor.sessionId, org: actor.organisationId });
    if (!current) return REVOKED;
    const group = [current.organisationId, current.role, current.organisationType].join('|');
    let shared = decisions.groups.get(group);
    if (!shared) {
      shared = this.read(current, event.bulletinId);
      decisions.groups.set(group, shared);
    }
    const read = await shared;
    if (read) {
      return this.abilities.readsBulletin(current, read.rules, read.bulletin)
        ? { bulletin: read.bulletin, authorType: read.authorType }
        : null;
    }
    decisions.named ??= this.bulletins.namedUsers(event.bulletinId).then((ids) => new Set(ids));
    if (!(await decisions.named).has(current.userId)) return null;
    const own = await this.read(current, event.bulletinId);
    return own && { bulletin: own.bulletin, authorType: own.authorType };
  }

  private read(actor: Actor, bulletinId: string): Promise<Read> {
    return this.db.withRequest({ actor }, async () => {
      const bulletin = await this.queries.get(actor, bulletinId).catch((err: unknown) => {
        if (err instanceof AppError && err.extensions.code === ErrorCode.NOT_FOUND) return null;
        throw err;
      });
      if (!bulletin) return null;
      const types = await organisationTypes(await this.db.em(), [bulletin.authorOrganisationId]);
      const rules = await this.abilities.rulesOf(actor);
      return { bulletin, authorType: types.get(bulletin.authorOrganisationId)!, rules };
    });
  }
}
