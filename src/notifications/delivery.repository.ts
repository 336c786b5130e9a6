import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { MemberRole } from '../organisations/organisation-type';
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

  /** The delivery, its row locked until the transaction ends: one sender at a time. */
  async lockedDelivery(id: string): Promise<NotificationDelivery | null> {
    return (await this.db.em()).findOne(NotificationDelivery, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async markSkipped(id: string): Promise<void> {
    await (await this.db.em()).update(NotificationDelivery, id, { status: 'SKIPPED' });
  }

  async markSent(id: string, messageId: string): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `UPDATE notification_deliveries SET status = 'SENT', attempts = attempts + 1, message_id = $2, sent_at = now() WHERE id = $1`,
      [id, messageId],
    );
  }

  async recordFailedAttempt(id: string, error: string): Promise<void> {
    await (
      await this.db.em()
    ).query(`UPDATE notification_deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [id, error]);
  }

  /** After the last retry; a delivery sent or skipped meanwhile stays as it is. */
  async markFailed(id: string): Promise<void> {
    await (await this.db.em()).update(NotificationDelivery, { id, status: 'PENDING' }, { status: 'FAILED' });
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
