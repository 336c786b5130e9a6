import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { vettingReminderMail } from '../notifications/mail-templates';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { MailService } from '../notifications/mail.service';
import { OutboxService } from '../notifications/outbox.service';
import { QUEUE } from '../notifications/outbox-queues';
import { CLEARANCE_STATUSES } from './vetting-enums';

interface ExpiringRecord {
  id: string;
  level: string;
  valid_until: Date;
  authority: string;
  employer: string;
}

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
    const orgs: { org: string }[] = await this.db.withRequest({}, async () =>
      (await this.db.em()).query(`SELECT org FROM vetting_reminder_organisations($1::interval) AS org`, [horizon]),
    );
    let mailed = 0;
    for (const { org } of orgs) {
      const identity = { userId: null, organisationId: org, isPlatformAdmin: false };
      mailed += await this.db.withRequest({ identity }, async () => {
        const em = await this.db.em();
        const first = await em.query(
          `INSERT INTO vetting_reminders (organisation_id, day, records) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING RETURNING day`,
          [org, day],
        );
        if (!first.length) return 0;
        const records: ExpiringRecord[] = await em.query(
          `SELECT v.id, v.level, v.valid_until, a.name AS authority, e.name AS employer
             FROM vetting_records v
             JOIN organisations a ON a.id = v.organisation_id
             JOIN organisations e ON e.id = v.employer_organisation_id
            WHERE (v.organisation_id = $1 OR v.employer_organisation_id = $1)
              AND v.status = ANY($3) AND v.valid_until > now() AND v.valid_until <= now() + $2::interval
            ORDER BY v.valid_until, v.id`,
          [org, horizon, CLEARANCE_STATUSES],
        );
        const admins: { email: string }[] = await em.query(
          `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id = $1 AND m.role = 'ORG_ADMIN' AND u.status = 'ACTIVE' ORDER BY u.email`,
          [org],
        );
        if (!records.length || !admins.length) return 0;
        await em.query(`UPDATE vetting_reminders SET records = $3 WHERE organisation_id = $1 AND day = $2`, [
          org,
          day,
          records.length,
        ]);
        await this.mail.send({
          to: admins.map((a) => a.email).join(', '),
          messageId: `<vetting-reminder-${org}-${day}@harbourwatch>`,
          ...vettingReminderMail(
            records.map((r) => ({
              label: `${r.level} vetting by ${r.authority} for ${r.employer}, valid until ${r.valid_until.toISOString().slice(0, 10)}`,
              link: `${this.config.publicUrl}/vetting/${r.id}`,
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
