import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { MemberRole, OrganisationType } from '../common/organisation-type';
import { DeliveryMode } from '../subscriptions/alert-subscription.entity';
import { DigestItem } from './digest-item.entity';
import { NotificationFailure } from './dto/notification-failure.types';
import { NotificationDelivery } from './notification-delivery.entity';

/** A user with an e-mail subscription, as `email_subscribers()` lists them (every organisation, one query). */
export interface Subscriber {
  id: string;
  user_id: string;
  organisation_id: string;
  role: MemberRole;
  categories: never[];
  min_severity: never;
  ports: string[];
  organisation_types: never[];
  author_organisation_ids: string[];
  mode: DeliveryMode;
}

/** A PENDING delivery of a batch, as `email_claim` returns it; `role` is null once the recipient may not receive. */
export interface ClaimedDelivery {
  id: string;
  bulletin_id: string;
  kind: string;
  user_id: string;
  organisation_id: string;
  subscription_id: string;
  email: string;
  role: MemberRole | null;
  org_type: OrganisationType | null;
}

/** SENT, SKIPPED (may not see it), FAILED (retries exhausted), or still PENDING after a refused attempt. */
export interface DeliveryOutcome {
  id: string;
  status: 'SENT' | 'SKIPPED' | 'FAILED' | 'PENDING';
  messageId?: string;
  error?: string;
}

/** Who gets one event of one bulletin version, by e-mail now or in the next digest. */
export interface EventRecipient {
  /** The delivery's id (immediate mail); digests have none. */
  id?: string;
  userId: string;
  organisationId: string;
  subscriptionId: string;
}

export interface BulletinEventRef {
  bulletinId: string;
  version: number;
  kind: string;
}

/** E-mail deliveries and digest items, in the transaction of the request or job acting for them. */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Every e-mail subscription of an active member (SECURITY DEFINER: the fan-out acts as the author). */
  async emailSubscribers(): Promise<Subscriber[]> {
    return (await this.db.em()).query(`SELECT * FROM email_subscribers()`);
  }

  /** Users with digest items waiting (SECURITY DEFINER: the digest job acts as nobody yet). */
  async digestRecipients(): Promise<{ user_id: string; organisation_id: string }[]> {
    return (await this.db.em()).query(`SELECT * FROM digest_recipients()`);
  }

  async userEmail(userId: string): Promise<string> {
    const [row]: { email: string }[] = await (
      await this.db.em()
    ).query(`SELECT email FROM users WHERE id = $1`, [userId]);
    return row.email;
  }

  /** Digest items for one event; one per (user, organisation, subscription) however often the job runs. */
  async queueForDigest(event: BulletinEventRef, recipients: EventRecipient[]): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `INSERT INTO digest_items (user_id, organisation_id, subscription_id, bulletin_id, version, kind)
       SELECT r.user_id, r.organisation_id, r.subscription_id, $1, $2, $3
         FROM unnest($4::uuid[], $5::uuid[], $6::uuid[]) AS r(user_id, organisation_id, subscription_id)
       ON CONFLICT DO NOTHING`,
      [
        event.bulletinId,
        event.version,
        event.kind,
        recipients.map((r) => r.userId),
        recipients.map((r) => r.organisationId),
        recipients.map((r) => r.subscriptionId),
      ],
    );
  }

  /** PENDING e-mail deliveries with the ids given; a delivery that exists already (unique per key) stays. */
  async createDeliveries(event: BulletinEventRef, recipients: Required<EventRecipient>[]): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `INSERT INTO notification_deliveries (id, bulletin_id, version, kind, user_id, organisation_id, subscription_id, channel)
       SELECT r.id, $1, $2, $3, r.user_id, r.organisation_id, r.subscription_id, 'EMAIL'
         FROM unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[]) AS r(id, user_id, organisation_id, subscription_id)
       ON CONFLICT DO NOTHING`,
      [
        event.bulletinId,
        event.version,
        event.kind,
        recipients.map((r) => r.id),
        recipients.map((r) => r.userId),
        recipients.map((r) => r.organisationId),
        recipients.map((r) => r.subscriptionId),
      ],
    );
  }

  /**
   * The deliveries of a batch still PENDING, locked until the transaction ends (one sender at a time),
   * with each recipient's address and standing (SECURITY DEFINER: the batch acts as the author).
   */
  async claim(ids: string[]): Promise<ClaimedDelivery[]> {
    return (await this.db.em()).query(`SELECT * FROM email_claim($1::uuid[])`, [ids]);
  }

  /** Records what became of each claimed delivery; one settled before stays as it is. */
  async settle(outcomes: DeliveryOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    await (
      await this.db.em()
    ).query(`SELECT email_settle($1::uuid[], $2::text[], $3::text[], $4::text[])`, [
      outcomes.map((o) => o.id),
      outcomes.map((o) => o.status),
      outcomes.map((o) => o.messageId ?? null),
      outcomes.map((o) => o.error ?? null),
    ]);
  }

  /** The caller's organisation's FAILED delivery back to PENDING, with its bulletin's author; none if not such a delivery. */
  async retry(id: string): Promise<{ bulletin_id: string; author_user_id: string; author_organisation_id: string }[]> {
    return (await this.db.em()).query(`SELECT * FROM email_retry($1)`, [id]);
  }

  /** An organisation's failed deliveries, newest first, keyset-paged. */
  async failures(organisationId: string, first: number, after?: string): Promise<Connection<NotificationFailure>> {
    const qb = (await this.db.em())
      .getRepository(NotificationDelivery)
      .createQueryBuilder('d')
      .where(`d.organisation_id = :organisationId AND d.status = 'FAILED'`, { organisationId });
    if (after) {
      const [at, id] = decodeCursor(after, 2);
      qb.andWhere('(d.created_at, d.id) < (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await qb
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(first + 1)
      .getMany();
    return toConnection(rows, first, (f) => [f.createdAt.toISOString(), f.id]);
  }

  /** A user's unmailed digest items for one organisation, locked so a second run cannot mail them again. */
  async pendingDigest(userId: string, organisationId: string): Promise<Pick<DigestItem, 'bulletinId' | 'kind'>[]> {
    return (await this.db.em()).find(DigestItem, {
      select: { bulletinId: true, kind: true },
      where: { userId, organisationId, mailedOn: IsNull() },
      order: { bulletinId: 'ASC', kind: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async markDigestMailed(userId: string, organisationId: string, day: string): Promise<void> {
    await (await this.db.em()).update(DigestItem, { userId, organisationId, mailedOn: IsNull() }, { mailedOn: day });
  }
}
