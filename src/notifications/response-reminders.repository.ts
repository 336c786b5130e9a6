import { Injectable } from '@nestjs/common';
import { MemberRole, OrganisationType } from '../common/organisation-type';
import { DatabaseService } from '../database/database.service';
import { AlertSubscription } from '../subscriptions/alert-subscription.entity';

/** A reminder due now, as `response_reminders_due` lists it (every organisation, no request identity). */
export interface DueReminder {
  bulletin_id: string;
  organisation_id: string;
  stage: 'ANALYSTS' | 'ADMINS';
  author_user_id: string;
  author_organisation_id: string;
}

/** An analyst or admin of a recipient organisation, with the e-mail subscriptions they keep there. */
export interface ReminderRecipient {
  user_id: string;
  email: string;
  role: MemberRole;
  org_type: OrganisationType;
  subscriptions: Pick<
    AlertSubscription,
    'categories' | 'minSeverity' | 'ports' | 'organisationTypes' | 'authorOrganisationIds'
  >[];
}

/** Which response reminders are due and to whom, for the job that sends them (ResponseRemindersService). */
@Injectable()
export class ResponseRemindersRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Reminders due at `at`, oldest deadline first (SECURITY DEFINER: the job acts as no one yet). */
  async due(at: Date, limit: number): Promise<DueReminder[]> {
    return (await this.db.em()).query(`SELECT * FROM response_reminders_due($1, $2)`, [at, limit]);
  }

  /**
   * Claims one stage of one request for this run: false when another run has sent it, or the
   * organisation has responded. The escalation at the deadline stands for the half-time reminder too.
   */
  async claim(reminder: DueReminder, at: Date): Promise<boolean> {
    const stage =
      reminder.stage === 'ADMINS'
        ? `admins_reminded_at = $3, analysts_reminded_at = coalesce(analysts_reminded_at, $3)`
        : `analysts_reminded_at = $3`;
    const claimed = reminder.stage === 'ADMINS' ? 'admins_reminded_at' : 'analysts_reminded_at';
    const rows: unknown[] = await (
      await this.db.em()
    ).query(
      `UPDATE bulletin_responses SET ${stage}
        WHERE bulletin_id = $1 AND organisation_id = $2 AND ${claimed} IS NULL AND responded_at IS NULL
        RETURNING bulletin_id`,
      [reminder.bulletin_id, reminder.organisation_id, at],
    );
    return rows.length > 0;
  }

  /** Analysts and admins of an active recipient organisation (SECURITY DEFINER: the job acts as the author). */
  async recipients(organisationId: string): Promise<ReminderRecipient[]> {
    return (await this.db.em()).query(`SELECT * FROM response_reminder_recipients($1)`, [organisationId]);
  }
}
