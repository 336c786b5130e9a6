import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { consolePath } from '../shared/console-routes';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { caseReminderMail } from '../outbox/mail-templates';
import { MailService } from '../outbox/mail.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { caseAttention, today } from './case-deadlines';
import { CaseRepository } from './case.repository';

/**
 * The Directive's deadlines as a daily nudge (CASE_REMINDER_TIME, UTC): each organisation's case
 * handlers get one mail saying how many cases are overdue or due soon, and nothing else (no content,
 * no ids: mailboxes are read on phones and forwarded). The (organisation, day) row is written in the
 * transaction that sends, so a retried or concurrent job mails once; a crash after sending resends
 * the same Message-ID.
 */
@Injectable()
export class CaseRemindersService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly cases: CaseRepository,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runDaily(QUEUE.caseReminders, this.config.CASE_REMINDER_TIME, () => this.sendReminders());
  }

  /** Returns how many organisations were mailed. */
  async sendReminders(now = new Date()): Promise<number> {
    const day = today(now);
    const orgs = await this.db.withRequest({}, () => this.cases.organisationsWithOpenCases());
    let mailed = 0;
    for (const org of orgs) {
      const identity = { userId: null, organisationId: org, isPlatformAdmin: false };
      mailed += await this.db.withRequest({ identity }, async () => {
        const due = (await this.cases.openCaseDates(org)).filter((c) => caseAttention(c, day)).length;
        const handlers = await this.cases.handlerEmails(org);
        if (!due || !handlers.length || !(await this.cases.claimReminder(org, day, due))) return 0;
        const content = caseReminderMail(due, `${this.config.publicUrl}${consolePath('cases')}`);
        // One mail each: who handles whistleblower cases is itself kept from the other recipients.
        for (const [i, to] of handlers.entries())
          await this.mail.send({ to, messageId: `<case-reminder-${org}-${day}-${i}@harbourwatch>`, ...content });
        return 1;
      });
    }
    return mailed;
  }
}
