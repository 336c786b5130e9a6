import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { consolePath } from '../shared/console-routes';
import { vettingReminderMail } from '../outbox/mail-templates';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { MailService } from '../outbox/mail.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { CLEARANCE_STATUSES } from './vetting-enums';
import { VettingRepository } from './vetting.repository';

/**
 * Expiry reminders: a daily outbox job (VETTING_REMINDER_TIME, UTC) mails the admins of each vetting
 * authority and employer one list of their records lapsing within VETTING_REMINDER_DAYS. The
 * (organisation, day) row is written in the transaction that sends, so a retried or concurrent job
 * skips organisations already mailed; a crash after sending resends the same Message-ID. The mail
 * names no one: it links to the records.
 */
@Injectable()
export class VettingRemindersService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly records: VettingRepository,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runDaily(QUEUE.vettingReminders, this.config.VETTING_REMINDER_TIME, () => this.sendReminders());
  }

  /** Returns how many organisations were mailed. */
  async sendReminders(today = new Date()): Promise<number> {
    const day = today.toISOString().slice(0, 10);
    const horizon = `${this.config.VETTING_REMINDER_DAYS} days`;
    const orgs = await this.db.withRequest({}, () => this.records.reminderOrganisations(horizon));
    let mailed = 0;
    for (const org of orgs) {
      const identity = { userId: null, organisationId: org, isPlatformAdmin: false };
      mailed += await this.db.withRequest({ identity }, async () => {
        if (!(await this.records.claimReminder(org, day))) return 0;
        const records = await this.records.expiring(org, horizon, CLEARANCE_STATUSES);
        const admins = await this.records.adminEmails(org);
        if (!records.length || !admins.length) return 0;
        await this.records.setReminderCount(org, day, records.length);
        await this.mail.send({
          to: admins.join(', '),
          messageId: `<vetting-reminder-${org}-${day}@harbourwatch>`,
          ...vettingReminderMail(
            records.map((r) => ({
              label: `${r.level} vetting by ${r.authority} for ${r.employer}, valid until ${r.valid_until.toISOString().slice(0, 10)}`,
              link: `${this.config.publicUrl}${consolePath('vettingRecord', { id: r.id })}`,
            })),
            this.config.VETTING_REMINDER_DAYS,
          ),
        });
        return 1;
      });
    }
    return mailed;
  }
}
