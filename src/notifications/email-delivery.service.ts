import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import { notFound } from '../common/errors';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueriesService } from '../bulletins/bulletin-queries.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { memberIdentity } from '../common/request-context';
import { FanoutJob } from '../bulletins/bulletin-events.service';
import { asAuthor } from './fanout';
import { bulletinMail, LINK_ONLY } from '../outbox/mail-templates';
import { MailService } from '../outbox/mail.service';
import { ClaimedDelivery, DeliveryOutcome, DeliveryRepository, Subscriber } from './delivery.repository';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { AbilityFactory, NO_RULES } from '../sharing/ability.factory';
import { matchesAlertFilter } from '../subscriptions/alert-filter';
import { DeliveryMode } from '../subscriptions/alert-subscription.entity';
import { unsubscribeLink } from './unsubscribe';

/** One mail job: up to EMAIL_BATCH_SIZE deliveries of one bulletin event, sent as its author reads it. */
interface EmailBatchJob {
  bulletinId: string;
  authorUserId: string;
  authorOrganisationId: string;
  deliveryIds: string[];
}

/**
 * E-mail for IMMEDIATE subscriptions, through the durable outbox:
 * 1. fan-out (one job per published/revised/retracted version): decide who may see the bulletin and
 *    asked for it, record one delivery per (bulletin, version, kind, user, channel), enqueue its mail
 *    (DAILY_DIGEST subscribers get a digest item instead, mailed by DigestService);
 * 2. delivery (one job per batch of EMAIL_BATCH_SIZE recipients): in one transaction acting as the
 *    author, claim the deliveries still PENDING, read the bulletin once, decide each recipient as a
 *    GraphQL read would be decided now (standing, admitting rules, ability), send the batch over the
 *    pooled SMTP connections, settle every delivery at once. A refused mail stays PENDING with its error
 *    and the job retries with exponential backoff for those only; after the last try they are FAILED.
 *
 * At most one delivery exists per key (unique index), and a delivery is sent only while PENDING, under
 * a row lock. A crash after the SMTP server accepted a mail but before SENT committed makes the retry
 * send it again with the same Message-ID (`<delivery id@harbourwatch>`), which mail systems and our
 * tests count as one message: that is the window at-least-once delivery cannot close over SMTP.
 */
@Injectable()
export class EmailDeliveryService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly deliveries: DeliveryRepository,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly abilities: AbilityFactory,
    private readonly queries: BulletinQueriesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.work<FanoutJob>(QUEUE.bulletinFanout, (job) => this.fanout(job));
    for (let i = 0; i < this.config.EMAIL_WORKERS; i++)
      await this.outbox.work<EmailBatchJob>(QUEUE.email, (job) => this.deliver(job));
    await this.outbox.work<EmailBatchJob>(QUEUE.emailFailed, (job) => this.markFailed(job));
  }

  fanout(job: FanoutJob): Promise<void> {
    return asAuthor(this.db, job, async (em, bulletin, authorType) => {
      // An organisation whose mail is already scheduled beyond its burst waits with this fan-out too:
      // deciding thousands of recipients a second for mail that leaves minutes later only takes
      // Postgres from everyone else.
      const [{ wait }] = await em.query<{ wait: number }[]>(`SELECT email_backlog_ms($1, $2) AS wait`, [
        job.authorOrganisationId,
        this.burstToleranceMs(),
      ]);
      if (wait > 0) {
        await this.outbox.enqueue(em, QUEUE.bulletinFanout, [{ data: job, startAfter: `${wait} milliseconds` }]);
        return;
      }
      const subscribers = await this.deliveries.emailSubscribers();
      const rules = await this.abilities.admittingRules(em, [...new Set(subscribers.map((s) => s.organisation_id))]);
      const chosen = new Map<string, Subscriber>();
      const digest = new Map<string, Subscriber>();
      for (const s of subscribers) {
        const key = `${s.user_id}|${s.organisation_id}`;
        const target = s.mode === DeliveryMode.IMMEDIATE ? chosen : digest;
        if (target.has(key)) continue;
        const filter = {
          categories: s.categories,
          minSeverity: s.min_severity,
          ports: s.ports,
          organisationTypes: s.organisation_types,
          authorOrganisationIds: s.author_organisation_ids,
        };
        if (!matchesAlertFilter(filter, bulletin, authorType)) continue;
        const recipient = {
          userId: s.user_id,
          organisationId: s.organisation_id,
          role: s.role,
          isPlatformAdmin: false,
        };
        if (this.abilities.readsBulletin(recipient, rules.get(s.organisation_id) ?? NO_RULES, bulletin))
          target.set(key, s);
      }
      const event = { bulletinId: bulletin.id, version: job.version, kind: job.kind };
      const recipient = (s: Subscriber) => ({
        userId: s.user_id,
        organisationId: s.organisation_id,
        subscriptionId: s.id,
      });
      await this.deliveries.queueForDigest(event, [...digest.values()].map(recipient));
      if (!chosen.size) return;
      // Ids are chosen here: the author may create these rows but, under row-level security, not read
      // them back. A row that already exists (this job ran before) keeps the mail job enqueued with it
      // then; the new job for the discarded id finds nothing and ends.
      const created = [...chosen.values()].map((s) => ({ id: randomUUID(), ...recipient(s) }));
      await this.deliveries.createDeliveries(event, created);
      const size = this.config.EMAIL_BATCH_SIZE;
      const batches = Array.from({ length: Math.ceil(created.length / size) }, (_, i) =>
        created.slice(i * size, (i + 1) * size).map((d) => d.id),
      );
      await this.enqueue(em, job, batches);
    });
  }

  /**
   * One e-mail job per batch of deliveries, retried with backoff, dead-lettered after the last try. Each
   * fan-out's n-th batch goes before every fan-out's (n+1)-th (pg-boss serves higher priorities first),
   * so a large fan-out of one organisation does not hold a small one of another behind all of it. And
   * each batch starts when the author organisation's sending rate allows (`email_schedule`): an alert
   * to thousands leaves at once up to EMAIL_BURST_PER_ORGANISATION mails, the rest at
   * EMAIL_RATE_PER_ORGANISATION a second, so that one organisation's alerts, however many, never take
   * the processor time other organisations' requests and alerts need.
   */
  private async enqueue(em: EntityManager, of: Omit<EmailBatchJob, 'deliveryIds'>, batches: string[][]): Promise<void> {
    const [{ starts }] = await em.query<{ starts: number[] }[]>(
      `SELECT email_schedule($1, $2::int[], $3, $4) AS starts`,
      [
        of.authorOrganisationId,
        batches.map((b) => b.length),
        1000 / this.config.EMAIL_RATE_PER_ORGANISATION,
        this.burstToleranceMs(),
      ],
    );
    return this.outbox.enqueue(
      em,
      QUEUE.email,
      batches.map((deliveryIds, n) => ({
        priority: -n,
        ...(starts[n] > 0 ? { startAfter: `${starts[n]} milliseconds` } : {}),
        data: {
          bulletinId: of.bulletinId,
          authorUserId: of.authorUserId,
          authorOrganisationId: of.authorOrganisationId,
          deliveryIds,
        } satisfies EmailBatchJob,
        retryLimit: this.config.EMAIL_RETRY_LIMIT,
        retryDelay: this.config.EMAIL_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        deadLetter: QUEUE.emailFailed,
      })),
    );
  }

  /** How far an organisation's sending clock may run ahead of now: its burst, in time at its rate. */
  private burstToleranceMs(): number {
    return (this.config.EMAIL_BURST_PER_ORGANISATION * 1000) / this.config.EMAIL_RATE_PER_ORGANISATION;
  }

  /**
   * An organisation admin sends a failed e-mail to one of its members again: the delivery is PENDING
   * once more and goes through the same job, which decides again whether the member may read it.
   */
  async retry(actor: Actor, id: string): Promise<void> {
    await this.abilities.organisationFor(
      actor,
      'read',
      'NotificationDelivery',
      'Only organisation admins retry failed notifications',
    );
    const em = await this.db.em();
    const [failed] = await this.deliveries.retry(id);
    if (!failed) throw notFound('Failed notification');
    await this.enqueue(
      em,
      {
        bulletinId: failed.bulletin_id,
        authorUserId: failed.author_user_id,
        authorOrganisationId: failed.author_organisation_id,
      },
      [[id]],
    );
  }

  async deliver(job: EmailBatchJob): Promise<void> {
    const refused = await this.db.withRequest(
      { identity: memberIdentity(job.authorUserId, job.authorOrganisationId) },
      async () => {
        const claimed = await this.deliveries.claim(job.deliveryIds);
        if (!claimed.length) return [];
        const em = await this.db.em();
        const found = await em.findOneBy(Bulletin, { id: job.bulletinId });
        // Indicators travel only where the content does (never AMBER+STRICT or RED: LINK_ONLY).
        const bulletin = found && {
          ...found,
          indicators: LINK_ONLY.includes(found.tlp) ? [] : await this.queries.indicators(found.id),
        };
        const receiving = claimed.filter((d) => d.role);
        const rules = await this.abilities.admittingRules(em, [...new Set(receiving.map((d) => d.organisation_id))]);
        const outcomes = await Promise.all(
          claimed.map(async (d): Promise<DeliveryOutcome> => {
            // Visibility at delivery time (first try or retry): a bulletin no longer shared, or a recipient
            // no longer an active member of an active organisation, gets nothing.
            const recipient = {
              userId: d.user_id,
              organisationId: d.organisation_id,
              role: d.role,
              isPlatformAdmin: false,
              organisationType: d.org_type,
            };
            const reads =
              bulletin &&
              d.role &&
              this.abilities.readsBulletin(recipient, rules.get(d.organisation_id) ?? NO_RULES, bulletin);
            if (!reads) return { id: d.id, status: 'SKIPPED' };
            return this.send(d, bulletin);
          }),
        );
        await this.deliveries.settle(outcomes);
        return outcomes.filter((o) => o.status === 'PENDING');
      },
    );
    // After the batch committed (sent ones SENT): the outbox retries the job for the refused ones only.
    if (refused.length) throw new Error(`${refused.length} mail(s) refused, first: ${refused[0].error}`);
  }

  private async send(d: ClaimedDelivery, bulletin: Bulletin): Promise<DeliveryOutcome> {
    const messageId = `<${d.id}@harbourwatch>`;
    const unsubscribe = unsubscribeLink(this.config.publicUrl, this.config.jwtSecret, {
      subscriptionId: d.subscription_id,
      userId: d.user_id,
      organisationId: d.organisation_id,
    });
    const link = `${this.config.publicUrl}/bulletins/${bulletin.id}`;
    try {
      await this.mail.send({
        to: d.email,
        messageId,
        unsubscribeUrl: unsubscribe,
        sender: bulletin.authorOrganisationId,
        ...bulletinMail(bulletin, d.kind, link, unsubscribe),
      });
      return { id: d.id, status: 'SENT', messageId };
    } catch (err) {
      return { id: d.id, status: 'PENDING', error: String(err instanceof Error ? err.message : err).slice(0, 500) };
    }
  }

  /** After the last retry; a delivery sent or skipped meanwhile stays as it is. */
  private async markFailed(job: EmailBatchJob): Promise<void> {
    await this.db.withRequest({ identity: memberIdentity(job.authorUserId, job.authorOrganisationId) }, () =>
      this.deliveries.settle(job.deliveryIds.map((id) => ({ id, status: 'FAILED' }))),
    );
  }
}
