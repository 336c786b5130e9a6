import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { randomUUID } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { EntityManager } from 'typeorm';
import { Webhook as Signer } from 'standardwebhooks';
import { Bulletin } from '../bulletins/bulletin.entity';
import { SecretBox } from '../common/secret-box';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { organisationIdentity } from '../common/request-context';
import { MemberRole } from '../common/organisation-type';
import { AbilityContext, AbilityFactory, NO_RULES } from '../sharing/ability.factory';
import { Tlp } from '../common/tlp';
import { matchesAlertFilter } from '../subscriptions/alert-filter';
import { FanoutJob } from '../bulletins/bulletin-events.service';
import { asAuthor } from './fanout';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { webhookPayload } from './webhook-payload';
import { WebhookOutcome, WebhooksRepository } from './webhooks.repository';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../outbox/mail.service';
import { webhookDisabledMail } from '../outbox/mail-templates';
import { consolePath } from '../shared/console-routes';
import { MembersRepository } from '../organisations/members.repository';

/** One attempt of one delivery, acting as the webhook's organisation. */
export interface WebhookJob {
  deliveryId: string;
  organisationId: string;
}

/** Telling an organisation's admins that its webhook was disabled. */
interface DisabledJob {
  webhookId: string;
  organisationId: string;
}

/** The sealed secret's associated data: a value copied to another webhook does not open. */
export const secretContext = (webhookId: string) => `webhook:${webhookId}`;

/** What a webhook is told about: what a member of its organisation reads, capped at its marking (as a machine client). */
const readerOf = (organisationId: string, maxTlp: Tlp): AbilityContext => ({
  userId: null,
  organisationId,
  role: MemberRole.MEMBER,
  isPlatformAdmin: false,
  machineClient: { maxTlp, canWrite: false },
});

/**
 * Webhook deliveries through the durable outbox, as e-mail's:
 * 1. fan-out (one job per bulletin event, acting as its author): every live webhook whose organisation,
 *    capped at the webhook's marking, may read the bulletin and whose filter matches gets one delivery;
 * 2. delivery (one job per delivery, acting as the webhook's organisation): decided again at that moment
 *    (a webhook deleted, a bulletin no longer shared: SKIPPED), the payload no richer than the e-mail,
 *    signed after Standard Webhooks (`webhook-id` = the delivery id on every retry, `webhook-timestamp`,
 *    `webhook-signature` = HMAC-SHA256 of "id.timestamp.body"), POSTed with a timeout to the endpoint,
 *    which must be public (request-filtering-agent refuses private and reserved addresses, checked on
 *    the resolved address, so a DNS answer cannot point it inside). Anything but a 2xx is retried with
 *    back-off; after the last try the delivery is FAILED and shows on the webhook.
 * Fair: one attempt at a time per webhook and WEBHOOK_CONCURRENCY_PER_ORGANISATION per organisation
 * (WebhooksRepository.claim); a job whose turn has not come is put off, not waited on, so a hanging
 * endpoint holds only its own organisation's share of the workers. A webhook failing for
 * WEBHOOK_DISABLE_AFTER_HOURS is disabled and its admins are told by e-mail and on the Webhooks desk.
 * No transaction stays open while the endpoint answers: the attempt is counted first, settled after.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationBootstrap {
  private readonly box: SecretBox;
  private readonly agent: RequestFilteringHttpsAgent;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly webhooks: WebhooksRepository,
    private readonly outbox: OutboxService,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly members: MembersRepository,
  ) {
    this.box = new SecretBox(config.encryptionKeys);
    this.agent = new RequestFilteringHttpsAgent({
      keepAlive: true,
      allowPrivateIPAddress: config.WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
      // A national PKI's CA in addition to the public ones.
      ...(config.WEBHOOK_CA_FILE ? { ca: [...rootCertificates, readFileSync(config.WEBHOOK_CA_FILE, 'utf8')] } : {}),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.work<FanoutJob>(QUEUE.webhookFanout, (job) => this.fanout(job));
    for (let i = 0; i < this.config.WEBHOOK_WORKERS; i++)
      await this.outbox.work<WebhookJob>(QUEUE.webhook, (job) => this.deliver(job));
    await this.outbox.work<WebhookJob>(QUEUE.webhookFailed, (job) =>
      this.db.withRequest({ identity: organisationIdentity(job.organisationId) }, () =>
        this.settle(job, { status: WebhookDeliveryStatus.FAILED }),
      ),
    );
    await this.outbox.work<DisabledJob>(QUEUE.webhookDisabled, (job) => this.tellAdmins(job));
  }

  fanout(job: FanoutJob): Promise<void> {
    return asAuthor(this.db, job, async (em, bulletin, authorType) => {
      const targets = (await this.webhooks.targets()).filter((w) => matchesAlertFilter(w.filter, bulletin, authorType));
      const rules = await this.abilities.admittingRules(em, [...new Set(targets.map((w) => w.organisationId))]);
      const chosen = targets.filter((w) =>
        this.abilities.readsBulletin(
          { ...readerOf(w.organisationId, w.maxTlp), organisationType: w.organisationType },
          rules.get(w.organisationId) ?? NO_RULES,
          bulletin,
        ),
      );
      const created = await this.webhooks.fanout(
        job,
        chosen.map((w) => ({ id: randomUUID(), webhookId: w.id })),
      );
      await this.enqueue(
        em,
        created.map((d) => ({ deliveryId: d.id, organisationId: d.organisation_id })),
      );
    });
  }

  /**
   * One job per delivery, retried with back-off, dead-lettered (FAILED) after the last try. A job put
   * off for its turn (`later`) comes back after `delayMs` with the tries its delivery has left (its
   * organisation's backlog known from the claim).
   * Workers take jobs by priority before age, and an organisation's jobs rank lower the more of its
   * deliveries are waiting: another organisation's alert does not queue behind a backlog that hanging
   * endpoints hold up (jobs that would only be put off again).
   */
  async enqueue(
    em: EntityManager,
    jobs: WebhookJob[],
    later?: { attempts: number; delayMs: number; backlog: number },
  ): Promise<void> {
    if (!jobs.length) return;
    const backlogs = later
      ? new Map(jobs.map((j) => [j.organisationId, later.backlog]))
      : await this.webhooks.backlogs([...new Set(jobs.map((j) => j.organisationId))]);
    await this.outbox.enqueue(
      em,
      QUEUE.webhook,
      jobs.map((data) => ({
        data,
        priority: -(backlogs.get(data.organisationId) ?? 0),
        retryLimit: Math.max(0, this.config.WEBHOOK_RETRY_LIMIT - (later?.attempts ?? 0)),
        retryDelay: this.config.WEBHOOK_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        deadLetter: QUEUE.webhookFailed,
        ...(later ? { startAfter: new Date(Date.now() + later.delayMs) } : {}),
      })),
    );
  }

  async deliver(job: WebhookJob): Promise<void> {
    const identity = organisationIdentity(job.organisationId);
    const attempt = await this.db.withRequest({ identity }, async () => {
      const claimed = await this.webhooks.claim(job.deliveryId, job.organisationId, {
        share: this.config.WEBHOOK_CONCURRENCY_PER_ORGANISATION,
        // Past the timeout by a margin: a worker that died mid-attempt frees its turn by itself.
        leaseMs: this.config.WEBHOOK_TIMEOUT_MS + 5000,
      });
      if (!claimed) return null;
      const em = await this.db.em();
      if ('waiting' in claimed) {
        // Back when the attempts in its way end, spread over a time that grows with its organisation's
        // backlog (up to a minute), so a thousand deliveries queued behind hanging endpoints wake a few
        // at a time instead of all at once. Not an attempt: no retry spent.
        const spread = Math.random() * Math.min(60_000, 250 * claimed.backlog);
        await this.enqueue(em, [job], {
          attempts: claimed.attempts,
          delayMs: Math.max(250, claimed.waitMs) + spread,
          backlog: claimed.backlog,
        });
        return null;
      }
      if (claimed.disabled_at) {
        await this.settle(job, { status: WebhookDeliveryStatus.FAILED, error: 'The webhook is disabled' });
        return null;
      }
      // Read as the organisation: row-level security and the ability decide at this moment.
      const bulletin = await em.findOneBy(Bulletin, { id: claimed.bulletin_id });
      const rules = (await this.abilities.admittingRules(em, [job.organisationId])).get(job.organisationId);
      const reads =
        !claimed.deleted_at &&
        bulletin &&
        this.abilities.readsBulletin(readerOf(job.organisationId, claimed.max_tlp), rules ?? NO_RULES, bulletin);
      if (!reads) {
        await this.settle(job, { status: WebhookDeliveryStatus.SKIPPED });
        return null;
      }
      const now = new Date();
      const body = JSON.stringify(
        webhookPayload(bulletin, claimed, `${this.config.publicUrl}/bulletins/${bulletin.id}`, now),
      );
      const signer = new Signer(this.box.open(claimed.secret_sealed, secretContext(claimed.webhook_id)));
      const headers = {
        'webhook-id': claimed.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(claimed.id, now, body),
      };
      return { url: claimed.url, body, headers };
    });
    if (!attempt) return;
    const outcome = await this.post(attempt.url, attempt.body, attempt.headers);
    await this.db.withRequest({ identity }, () => this.settle(job, outcome));
    // The outbox retries the job with back-off.
    if (outcome.status !== WebhookDeliveryStatus.SENT) throw new Error(`webhook delivery failed: ${outcome.error}`);
  }

  /** Settles in the caller's request; a webhook it disables gets its admins told, with an audit event. */
  private async settle(job: WebhookJob, outcome: WebhookOutcome): Promise<void> {
    const disabled = await this.webhooks.settle(job.deliveryId, outcome, this.config.WEBHOOK_DISABLE_AFTER_HOURS);
    if (!disabled) return;
    await this.audit.record({
      action: 'disableWebhook',
      objectType: 'Webhook',
      objectId: disabled.id,
      subjectOrganisationId: job.organisationId,
      details: { failingSince: disabled.failingSince?.toISOString() },
      actor: { userId: null, organisationId: null },
    });
    await this.outbox.enqueue(await this.db.em(), QUEUE.webhookDisabled, [
      { data: { webhookId: disabled.id, organisationId: job.organisationId } satisfies DisabledJob },
    ]);
  }

  /** One mail to each admin of the organisation (who else was told is not theirs to know). */
  private tellAdmins(job: DisabledJob): Promise<void> {
    return this.db.withRequest({ identity: organisationIdentity(job.organisationId) }, async () => {
      const webhook = await this.webhooks.get(job.webhookId);
      if (!webhook?.disabledAt || webhook.deletedAt) return; // enabled or deleted meanwhile
      const content = webhookDisabledMail({
        name: webhook.name,
        since: webhook.failingSince ?? webhook.disabledAt,
        lastError: webhook.lastError,
        link: `${this.config.publicUrl}${consolePath('webhooks')}`,
      });
      for (const admin of await this.members.admins(job.organisationId)) {
        const messageId = `<webhook-disabled-${webhook.id}-${webhook.disabledAt.getTime()}-${admin.user_id}@harbourwatch>`;
        await this.mail.send({ to: admin.email, messageId, ...content });
      }
    });
  }

  /**
   * Why a POST failed, in words the admin can act on. Never how this server resolves names: a name that
   * does not resolve and one that leads to a private address read the same, or the answers would map
   * the internal network.
   */
  private reasonOf(err: Error & { code?: string }): string {
    if (err.name === 'AbortError' || err.name === 'TimeoutError')
      return `No answer within ${this.config.WEBHOOK_TIMEOUT_MS / 1000} s`;
    if (/ is not allowed\b/.test(err.message) || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
      return 'Address not allowed: the name does not lead to a public address';
    if (err.code === 'ECONNREFUSED') return 'The endpoint refused the connection';
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return 'The endpoint closed the connection';
    if (err.code?.startsWith('ERR_TLS') || /CERT|SSL|self.signed/i.test(`${err.code ?? ''} ${err.message}`))
      return "The endpoint's TLS certificate was not accepted";
    return 'Could not connect to the endpoint';
  }

  /** One POST: a 2xx within the timeout is SENT; anything else (status, refusal, silence) PENDING with the reason. */
  private post(url: string, body: string, headers: Record<string, string>): Promise<WebhookOutcome> {
    return new Promise((resolve) => {
      const failed = (error: string, statusCode?: number) =>
        resolve({ status: WebhookDeliveryStatus.PENDING, error: error.slice(0, 500), statusCode });
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Harbourwatch-Webhooks/1',
          },
        },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status: WebhookDeliveryStatus.SENT, statusCode: status });
          else failed(`The endpoint answered HTTP ${status}`, status);
        },
      );
      req.on('error', (err) => failed(this.reasonOf(err)));
      req.end(body);
    });
  }
}
