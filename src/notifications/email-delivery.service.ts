import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Bulletin } from '../bulletins/bulletin.entity';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { DbIdentity } from '../database/request-context';
import { FanoutJob } from './bulletin-events.service';
import { bulletinMail } from './mail-templates';
import { MailService } from './mail.service';
import { DeliveryRepository, Subscriber } from './delivery.repository';
import { OutboxService } from './outbox.service';
import { QUEUE } from './outbox-queues';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { matchesAlertFilter } from '../subscriptions/alert-filter';
import { DeliveryMode } from '../subscriptions/alert-subscription.entity';
import { unsubscribeLink } from './unsubscribe';
import { organisationTypes } from '../common/organisation-refs';

interface EmailJob {
  deliveryId: string;
  userId: string;
  organisationId: string;
}

const identityOf = (userId: string, organisationId: string): DbIdentity => ({
  userId,
  organisationId,
  isPlatformAdmin: false,
});

/**
 * E-mail for IMMEDIATE subscriptions, through the durable outbox:
 * 1. fan-out (one job per published/revised/retracted version): decide who may see the bulletin and
 *    asked for it, record one delivery per (bulletin, version, kind, user, channel), enqueue its mail
 *    (DAILY_DIGEST subscribers get a digest item instead, mailed by DigestService);
 * 2. delivery (one job per mail): re-read the bulletin as the recipient under row-level security, send,
 *    mark SENT; SMTP failures retry with exponential backoff, the last one marks the delivery FAILED.
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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.work<FanoutJob>(QUEUE.bulletinFanout, (job) => this.fanout(job));
    for (let i = 0; i < this.config.EMAIL_WORKERS; i++)
      await this.outbox.work<EmailJob>(QUEUE.email, (job) => this.deliver(job), 5);
    await this.outbox.work<EmailJob>(QUEUE.emailFailed, (job) => this.markFailed(job));
  }

  async fanout(job: FanoutJob): Promise<void> {
    // Read as the author, who can see the bulletin whatever its marking.
    await this.db.withRequest({ identity: identityOf(job.authorUserId, job.authorOrganisationId) }, async () => {
      const em = await this.db.em();
      const bulletin = await em.findOneBy(Bulletin, { id: job.bulletinId });
      if (!bulletin) return;
      const authorType = (await organisationTypes(em, [bulletin.authorOrganisationId])).get(
        bulletin.authorOrganisationId,
      )!;
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
        const ability = this.abilities.build(
          { userId: s.user_id, organisationId: s.organisation_id, role: s.role, isPlatformAdmin: false },
          rules.get(s.organisation_id) ?? [],
        );
        if (canOn(ability, 'read', 'Bulletin', bulletin)) target.set(key, s);
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
      await this.outbox.enqueue(
        em,
        QUEUE.email,
        created.map((d) => ({
          data: { deliveryId: d.id, userId: d.userId, organisationId: d.organisationId } satisfies EmailJob,
          retryLimit: this.config.EMAIL_RETRY_LIMIT,
          retryDelay: this.config.EMAIL_RETRY_DELAY_SECONDS,
          retryBackoff: true,
          deadLetter: QUEUE.emailFailed,
        })),
      );
    });
  }

  async deliver(job: EmailJob): Promise<void> {
    const identity = identityOf(job.userId, job.organisationId);
    try {
      await this.db.withRequest({ identity }, async () => {
        const em = await this.db.em();
        const delivery = await this.deliveries.lockedDelivery(job.deliveryId);
        if (!delivery || delivery.status !== 'PENDING') return;
        // Visibility at delivery time (first try or retry), as the recipient: a bulletin no longer
        // shared, or a recipient no longer an active member of an active organisation, gets nothing.
        const bulletin = await em.findOneBy(Bulletin, { id: delivery.bulletinId });
        const ability = await this.abilities.forRecipient(em, job.userId, job.organisationId);
        if (!bulletin || !ability || !canOn(ability, 'read', 'Bulletin', bulletin)) {
          await this.deliveries.markSkipped(delivery.id);
          return;
        }
        const messageId = `<${delivery.id}@harbourwatch>`;
        const unsubscribe = unsubscribeLink(this.config.publicUrl, this.config.jwtSecret, {
          subscriptionId: delivery.subscriptionId,
          userId: job.userId,
          organisationId: job.organisationId,
        });
        const link = `${this.config.publicUrl}/bulletins/${bulletin.id}`;
        await this.mail.send({
          to: await this.deliveries.userEmail(job.userId),
          messageId,
          unsubscribeUrl: unsubscribe,
          ...bulletinMail(bulletin, delivery.kind, link, unsubscribe),
        });
        await this.deliveries.markSent(delivery.id, messageId);
      });
    } catch (err) {
      await this.db.withRequest({ identity }, () =>
        this.deliveries.recordFailedAttempt(
          job.deliveryId,
          String(err instanceof Error ? err.message : err).slice(0, 500),
        ),
      );
      throw err; // the outbox retries with backoff, then dead-letters the job (markFailed)
    }
  }

  private async markFailed(job: EmailJob): Promise<void> {
    await this.db.withRequest({ identity: identityOf(job.userId, job.organisationId) }, () =>
      this.deliveries.markFailed(job.deliveryId),
    );
  }
}
