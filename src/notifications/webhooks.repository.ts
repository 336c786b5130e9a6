import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { OrganisationType } from '../common/organisation-type';
import { Tlp } from '../common/tlp';
import { FilterFields as Filter } from '../subscriptions/alert-filter';
import { BulletinEventMessage } from '../bulletins/bulletin-events.service';
import { Webhook } from './webhook.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';

/** A live webhook as the fan-out sees it (`webhook_targets`): whose, up to which marking, what it asked for. */
export interface WebhookTarget {
  id: string;
  organisationId: string;
  organisationType: OrganisationType;
  maxTlp: Tlp;
  filter: Filter;
}

/** A PENDING delivery with its webhook, claimed for one attempt. */
export interface ClaimedWebhookDelivery {
  id: string;
  webhook_id: string;
  bulletin_id: string;
  version: number;
  kind: string;
  url: string;
  secret_sealed: string;
  max_tlp: Tlp;
  deleted_at: Date | null;
  disabled_at: Date | null;
}

/** A PENDING delivery whose webhook, or organisation's share, is busy with other attempts. */
export interface WaitingWebhookDelivery {
  waiting: true;
  attempts: number;
  /** Until the attempts in its way end (their leases), in ms. */
  waitMs: number;
  /** Its organisation's PENDING deliveries. */
  backlog: number;
}

/** What one attempt came to: SENT, SKIPPED, or PENDING again with the error (retried). */
export interface WebhookOutcome {
  status: WebhookDeliveryStatus;
  statusCode?: number;
  error?: string;
}

@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The caller's organisation's webhooks (row-level security), newest first. */
  async list(): Promise<Webhook[]> {
    return (await this.db.em()).find(Webhook, { order: { createdAt: 'DESC' } });
  }

  /** The organisation's webhooks not deleted, counted under its cap's lock. */
  async live(organisationId: string): Promise<number> {
    await this.db.lockOrganisation('webhooks', organisationId);
    const [{ n }] = await (
      await this.db.em()
    ).query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM webhooks WHERE organisation_id = $1 AND deleted_at IS NULL`,
      [organisationId],
    );
    return n;
  }

  async create(
    webhook: Omit<
      Webhook,
      | 'createdAt'
      | 'rotatedAt'
      | 'deletedAt'
      | 'lastSuccessAt'
      | 'lastFailureAt'
      | 'lastError'
      | 'failingSince'
      | 'disabledAt'
    >,
  ): Promise<Webhook> {
    const em = await this.db.em();
    await em.insert(Webhook, { ...webhook, createdAt: new Date() });
    return em.findOneByOrFail(Webhook, { id: webhook.id });
  }

  /** A new secret for a webhook of the caller's organisation that is not deleted; undefined otherwise. */
  async rotate(id: string, secret: Pick<Webhook, 'secretSealed' | 'secretHint'>): Promise<Webhook | undefined> {
    const em = await this.db.em();
    const { affected } = await em
      .createQueryBuilder()
      .update(Webhook)
      .set({ ...secret, rotatedAt: () => 'now()' })
      .where('id = :id AND deleted_at IS NULL', { id })
      .execute();
    return affected ? em.findOneByOrFail(Webhook, { id }) : undefined;
  }

  async delete(id: string): Promise<Webhook | undefined> {
    const em = await this.db.em();
    await em
      .createQueryBuilder()
      .update(Webhook)
      .set({ deletedAt: () => 'now()' })
      .where('id = :id AND deleted_at IS NULL', { id })
      .execute();
    return (await em.findOneBy(Webhook, { id })) ?? undefined;
  }

  async get(id: string): Promise<Webhook | null> {
    return (await this.db.em()).findOneBy(Webhook, { id });
  }

  /** A webhook's latest deliveries, newest first. */
  async deliveries(
    webhookId: string,
    status: WebhookDeliveryStatus | undefined,
    first: number,
  ): Promise<WebhookDelivery[]> {
    return (await this.db.em()).find(WebhookDelivery, {
      where: { webhookId, ...(status ? { status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: first,
    });
  }

  /** A FAILED delivery of the caller's organisation back to PENDING; undefined if it is not one. */
  async retry(id: string): Promise<WebhookDelivery | undefined> {
    const em = await this.db.em();
    const { affected } = await em
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ status: WebhookDeliveryStatus.PENDING })
      .where(`id = :id AND status = 'FAILED'`, { id })
      .execute();
    return affected ? em.findOneByOrFail(WebhookDelivery, { id }) : undefined;
  }

  async targets(): Promise<WebhookTarget[]> {
    const rows: {
      id: string;
      organisation_id: string;
      org_type: OrganisationType;
      max_tlp: Tlp;
      categories: Filter['categories'];
      min_severity: Filter['minSeverity'];
      ports: string[];
      organisation_types: OrganisationType[];
      author_organisation_ids: string[];
    }[] = await (await this.db.em()).query(`SELECT * FROM webhook_targets()`);
    return rows.map((r) => ({
      id: r.id,
      organisationId: r.organisation_id,
      organisationType: r.org_type,
      maxTlp: r.max_tlp,
      filter: {
        categories: r.categories,
        minSeverity: r.min_severity,
        ports: r.ports,
        organisationTypes: r.organisation_types,
        authorOrganisationIds: r.author_organisation_ids,
      },
    }));
  }

  /** One delivery per (webhook, event); the ones created now, with their organisation. */
  async fanout(
    event: BulletinEventMessage,
    deliveries: { id: string; webhookId: string }[],
  ): Promise<{ id: string; organisation_id: string }[]> {
    if (!deliveries.length) return [];
    return (await this.db.em()).query(`SELECT * FROM webhook_fanout($1, $2, $3, $4::uuid[], $5::uuid[])`, [
      event.bulletinId,
      event.version,
      event.kind,
      deliveries.map((d) => d.id),
      deliveries.map((d) => d.webhookId),
    ]);
  }

  /** Each organisation's PENDING deliveries (counts only, whoever asks: `webhook_backlogs`). */
  async backlogs(organisationIds: string[]): Promise<Map<string, number>> {
    const rows = await (
      await this.db.em()
    ).query<{ organisation_id: string; backlog: number }[]>(`SELECT * FROM webhook_backlogs($1::uuid[])`, [
      organisationIds,
    ]);
    return new Map(rows.map((r) => [r.organisation_id, r.backlog]));
  }

  /**
   * The delivery if still PENDING, counted as one more attempt (the count survives a crash mid-attempt)
   * and leased for `leaseMs` while it waits on the endpoint; waiting instead while another attempt of
   * its webhook, or `share` of its organisation's, holds a lease. Claims of one organisation take turns
   * under its lock, so the share holds across workers and instances; other organisations' do not wait.
   */
  async claim(
    id: string,
    organisationId: string,
    limits: { share: number; leaseMs: number },
  ): Promise<ClaimedWebhookDelivery | WaitingWebhookDelivery | undefined> {
    await this.db.lockOrganisation('webhook-deliveries', organisationId);
    const em = await this.db.em();
    // An UPDATE answers [rows, affected count].
    const [[row]]: [ClaimedWebhookDelivery[], number] = await em.query(
      `UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now(),
              leased_until = clock_timestamp() + make_interval(secs => $3 / 1000.0)
         FROM webhooks w
        WHERE d.id = $1 AND d.status = 'PENDING' AND w.id = d.webhook_id
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x
                           WHERE x.webhook_id = d.webhook_id AND x.id <> d.id AND x.leased_until > clock_timestamp())
          AND (SELECT count(*) FROM webhook_deliveries x
                WHERE x.organisation_id = d.organisation_id AND x.id <> d.id AND x.leased_until > clock_timestamp()) < $2
        RETURNING d.id, d.webhook_id, d.bulletin_id, d.version, d.kind, w.url, w.secret_sealed, w.max_tlp,
                  w.deleted_at, w.disabled_at`,
      [id, limits.share, limits.leaseMs],
    );
    if (row) return row;
    const [pending] = await em.query<{ attempts: number; wait_ms: number; backlog: number }[]>(
      `SELECT d.attempts,
              (SELECT count(*)::int FROM webhook_deliveries x
                WHERE x.organisation_id = d.organisation_id AND x.status = 'PENDING') AS backlog,
              coalesce(extract(epoch FROM greatest(
                (SELECT max(x.leased_until) FROM webhook_deliveries x
                  WHERE x.webhook_id = d.webhook_id AND x.id <> d.id AND x.leased_until > clock_timestamp()),
                (SELECT min(x.leased_until) FROM webhook_deliveries x
                  WHERE x.organisation_id = d.organisation_id AND x.id <> d.id AND x.leased_until > clock_timestamp())
              ) - clock_timestamp()) * 1000, 0)::int AS wait_ms
         FROM webhook_deliveries d WHERE d.id = $1 AND d.status = 'PENDING'`,
      [id],
    );
    return pending && { waiting: true, attempts: pending.attempts, waitMs: pending.wait_ms, backlog: pending.backlog };
  }

  /**
   * Records an attempt's outcome on the delivery (only while PENDING, ending its lease) and its webhook.
   * A failure of a webhook failing since more than `disableAfterHours` ago disables it: the answer is
   * then the webhook, for its admins to be told.
   */
  async settle(id: string, outcome: WebhookOutcome, disableAfterHours: number): Promise<Webhook | undefined> {
    const em = await this.db.em();
    const [[row]]: [{ webhook_id: string }[], number] = await em.query(
      `UPDATE webhook_deliveries SET status = $2, last_status_code = coalesce($3, last_status_code), leased_until = NULL,
              last_error = coalesce($4, last_error), sent_at = CASE WHEN $2 = 'SENT' THEN now() ELSE sent_at END
        WHERE id = $1 AND status = 'PENDING' RETURNING webhook_id`,
      [id, outcome.status, outcome.statusCode ?? null, outcome.error ?? null],
    );
    if (!row || outcome.status === WebhookDeliveryStatus.SKIPPED) return;
    if (outcome.status === WebhookDeliveryStatus.SENT) {
      await em.query(`UPDATE webhooks SET last_success_at = now(), failing_since = NULL WHERE id = $1`, [
        row.webhook_id,
      ]);
      return;
    }
    const [[failing]]: [{ disabled: boolean }[], number] = await em.query(
      `UPDATE webhooks SET last_failure_at = now(), last_error = coalesce($2, last_error),
              failing_since = coalesce(failing_since, now()),
              disabled_at = CASE WHEN disabled_at IS NULL AND failing_since < now() - make_interval(hours => $3)
                                 THEN now() ELSE disabled_at END
        WHERE id = $1 RETURNING disabled_at = now() AS disabled`,
      [row.webhook_id, outcome.error ?? null, disableAfterHours],
    );
    return failing?.disabled ? ((await this.get(row.webhook_id)) ?? undefined) : undefined;
  }

  /** A disabled webhook of the caller's organisation live again, its failures forgotten; undefined if deleted. */
  async enable(id: string): Promise<Webhook | undefined> {
    const em = await this.db.em();
    const { affected } = await em
      .createQueryBuilder()
      .update(Webhook)
      .set({ disabledAt: null, failingSince: null })
      .where('id = :id AND deleted_at IS NULL', { id })
      .execute();
    return affected ? em.findOneByOrFail(Webhook, { id }) : undefined;
  }
}
