import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { DigestEntry, digestMail } from '../outbox/mail-templates';
import { MailService } from '../outbox/mail.service';
import { DeliveryRepository } from './delivery.repository';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { In } from 'typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';

/**
 * The daily digest: one mail per user (and organisation) listing the bulletins their DAILY_DIGEST
 * subscriptions matched since the last one, sent at DIGEST_TIME (UTC) by a scheduled outbox job.
 * Each line is re-checked as the recipient with the same ability as a GraphQL read; AMBER_STRICT and RED lines show
 * the marking and the link only.
 */
@Injectable()
export class DigestService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly deliveries: DeliveryRepository,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly abilities: AbilityFactory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runDaily(QUEUE.digest, this.config.DIGEST_TIME, () => this.sendDigests());
  }

  /** Mails every waiting digest; a user already mailed today is skipped if the job runs again. */
  async sendDigests(today = new Date()): Promise<number> {
    const day = today.toISOString().slice(0, 10);
    const recipients = await this.db.withRequest({}, () => this.deliveries.digestRecipients());
    let sent = 0;
    for (const r of recipients) {
      const identity = { userId: r.user_id, organisationId: r.organisation_id, isPlatformAdmin: false };
      sent += await this.db.withRequest({ identity }, async () => {
        const em = await this.db.em();
        const pending = await this.deliveries.pendingDigest(r.user_id, r.organisation_id);
        if (!pending.length) return 0;
        // Each line is decided as a GraphQL read by the recipient now: the same ability, and nothing
        // at all for a recipient no longer an active member of an active organisation.
        const ability = await this.abilities.forRecipient(em, r.user_id, r.organisation_id);
        const items = ability ? [...new Map(pending.map((p) => [`${p.bulletinId}|${p.kind}`, p])).values()] : [];
        const bulletins = new Map(
          (await em.findBy(Bulletin, { id: In([...new Set(items.map((i) => i.bulletinId))]) })).map((b) => [b.id, b]),
        );
        const lines: DigestEntry[] = items.flatMap(({ bulletinId, kind }) => {
          const b = bulletins.get(bulletinId);
          return b && canOn(ability!, 'read', 'Bulletin', b)
            ? [
                {
                  title: b.title,
                  severity: b.severity,
                  tlp: b.tlp,
                  kind,
                  link: `${this.config.publicUrl}/bulletins/${b.id}`,
                },
              ]
            : [];
        });
        await this.deliveries.markDigestMailed(r.user_id, r.organisation_id, day);
        if (!lines.length) return 0;
        await this.mail.send({
          to: await this.deliveries.userEmail(r.user_id),
          messageId: `<digest-${r.user_id}-${r.organisation_id}-${day}@harbourwatch>`,
          ...digestMail(lines, day),
        });
        return 1;
      });
    }
    return sent;
  }
}
