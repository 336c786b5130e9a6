import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { organisationRefs, organisationTypes } from '../organisations/organisation-refs';
import { APP_CONFIG, AppConfig } from '../config/config';
import { consolePath } from '../shared/console-routes';
import { DatabaseService } from '../database/database.service';
import { memberIdentity } from '../common/request-context';
import { responseReminderMail } from '../outbox/mail-templates';
import { MailService } from '../outbox/mail.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { MemberRole } from '../common/organisation-type';
import { AbilityFactory, NO_RULES } from '../sharing/ability.factory';
import { matchesAlertFilter } from '../subscriptions/alert-filter';
import { Bulletin } from '../bulletins/bulletin.entity';
import { DueReminder, ReminderRecipient, ResponseRemindersRepository } from './response-reminders.repository';

/** Requests read at a time; a run goes on while it finds more, for at most RUN_MS (the next run takes the rest). */
const BATCH = 200;
const RUN_MS = 45_000;

/**
 * Unanswered response requests escalate, checked every minute by an outbox job: at half time the
 * recipient organisation's analysts who subscribed to such bulletins by e-mail are reminded; at the
 * deadline its admins are, whatever their subscriptions (where no admin may read the bulletin, as for
 * TLP:RED, the people it names there). Only people who may read the bulletin now get a mail, decided
 * as a GraphQL read would be. Each stage is claimed in the transaction that sends and audits it, so a
 * retried or concurrent run sends it once; a crash after sending resends the same Message-IDs.
 */
@Injectable()
export class ResponseRemindersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResponseRemindersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly reminders: ResponseRemindersRepository,
    private readonly abilities: AbilityFactory,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runEvery(QUEUE.responseReminders, 1, () => this.sendReminders());
  }

  /** Returns how many mails were sent. */
  async sendReminders(now = new Date()): Promise<number> {
    const started = Date.now();
    let sent = 0;
    let due: DueReminder[];
    do {
      due = await this.db.withRequest({}, () => this.reminders.due(now, BATCH));
      sent += await this.remindAll(due, now);
    } while (due.length === BATCH && Date.now() - started < RUN_MS);
    return sent;
  }

  private async remindAll(due: DueReminder[], now: Date): Promise<number> {
    let sent = 0;
    for (const reminder of due) {
      // Acting as the author, who reads the bulletin whatever its marking, as the e-mail fan-out does.
      const identity = memberIdentity(reminder.author_user_id, reminder.author_organisation_id);
      sent += await this.db
        .withRequest({ identity }, () => this.remind(reminder, now))
        .catch((err: unknown) => {
          this.logger.warn(`response reminder for ${reminder.bulletin_id} not sent, retried next run: ${String(err)}`);
          return 0;
        });
    }
    return sent;
  }

  private async remind(reminder: DueReminder, now: Date): Promise<number> {
    if (!(await this.reminders.claim(reminder, now))) return 0;
    const em = await this.db.em();
    const bulletin = await em.findOneByOrFail(Bulletin, { id: reminder.bulletin_id });
    const org = reminder.organisation_id;
    const rules = (await this.abilities.admittingRules(em, [org])).get(org) ?? NO_RULES;
    const readers = (await this.reminders.recipients(org)).filter((p) =>
      this.abilities.readsBulletin(
        { userId: p.user_id, organisationId: org, role: p.role, isPlatformAdmin: false, organisationType: p.org_type },
        rules,
        bulletin,
      ),
    );
    const to = await this.chosen(reminder, readers, bulletin);
    const author = (await organisationRefs(this.db).load(bulletin.authorOrganisationId)).name;
    const content = responseReminderMail(bulletin, {
      author,
      dueAt: bulletin.responseDueAt!,
      overdue: reminder.stage === 'ADMINS',
      link: `${this.config.publicUrl}${consolePath('bulletin', { id: bulletin.id })}`,
    });
    // One mail each: who else in the organisation was reminded is not theirs to know.
    for (const p of to) {
      const messageId = `<response-${reminder.stage.toLowerCase()}-${bulletin.id}-${p.user_id}@harbourwatch>`;
      await this.mail.send({ to: p.email, messageId, ...content });
    }
    await this.audit.record({
      action: reminder.stage === 'ADMINS' ? 'escalateResponse' : 'remindResponse',
      objectType: 'Bulletin',
      objectId: bulletin.id,
      subjectOrganisationId: org,
      details: { stage: reminder.stage, people: to.length, dueAt: bulletin.responseDueAt!.toISOString() },
      actor: { userId: null, organisationId: null },
    });
    return to.length;
  }

  private async chosen(
    reminder: DueReminder,
    readers: ReminderRecipient[],
    bulletin: Bulletin,
  ): Promise<ReminderRecipient[]> {
    if (reminder.stage === 'ADMINS') {
      const admins = readers.filter((p) => p.role === MemberRole.ORG_ADMIN);
      return admins.length ? admins : readers;
    }
    const authorType = (await organisationTypes(await this.db.em(), [bulletin.authorOrganisationId])).get(
      bulletin.authorOrganisationId,
    )!;
    return readers.filter((p) => p.subscriptions.some((s) => matchesAlertFilter(s, bulletin, authorType)));
  }
}
