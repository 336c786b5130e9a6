import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { MemberRole, OrganisationType } from '../organisations/organisation-type';
import { AlertSubscription } from '../subscriptions/alert-subscription.entity';
import { ResponseAction } from './bulletin-enums';

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

export interface ResponseRow {
  bulletin_id: string;
  organisation_id: string;
  name: string;
  due_at: Date | null;
  action: ResponseAction | null;
  note: string | null;
  responded_at: Date | null;
}

/** Response requests and responses, in the transaction of the request or job acting for them. */
@Injectable()
export class BulletinResponsesRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Requests a response from each organisation (a row answered earlier keeps its answer) and withdraws
   * the unanswered requests of organisations the bulletin no longer reaches.
   */
  async request(
    bulletin: { id: string; authorOrganisationId: string },
    organisationIds: string[],
    requestedAt: Date,
    dueAt: Date,
  ): Promise<void> {
    const em = await this.db.em();
    await em.query(
      `INSERT INTO bulletin_responses (bulletin_id, organisation_id, author_organisation_id, requested_at, due_at)
       SELECT $1, o, $2, $3, $4 FROM unnest($5::uuid[]) AS o
       ON CONFLICT (bulletin_id, organisation_id) DO UPDATE SET requested_at = EXCLUDED.requested_at, due_at = EXCLUDED.due_at
        WHERE bulletin_responses.requested_at IS NULL`,
      [bulletin.id, bulletin.authorOrganisationId, requestedAt, dueAt, organisationIds],
    );
    await em.query(
      `DELETE FROM bulletin_responses
        WHERE bulletin_id = $1 AND responded_at IS NULL AND NOT (organisation_id = ANY($2::uuid[]))`,
      [bulletin.id, organisationIds],
    );
  }

  /** The organisation's response, once: false when it has responded already. */
  async respond(r: {
    bulletinId: string;
    organisationId: string;
    authorOrganisationId: string;
    userId: string;
    action: ResponseAction;
    note: string | null;
  }): Promise<boolean> {
    const rows: unknown[] = await (
      await this.db.em()
    ).query(
      `INSERT INTO bulletin_responses
         (bulletin_id, organisation_id, author_organisation_id, action, note, responded_by, responded_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (bulletin_id, organisation_id) DO UPDATE
         SET action = EXCLUDED.action, note = EXCLUDED.note, responded_by = EXCLUDED.responded_by, responded_at = now()
       WHERE bulletin_responses.responded_at IS NULL
       RETURNING bulletin_id`,
      [r.bulletinId, r.organisationId, r.authorOrganisationId, r.action, r.note, r.userId],
    );
    return rows.length > 0;
  }

  /** The rows of these bulletins that row-level security shows the caller's organisation (as author or recipient). */
  async ofBulletins(bulletinIds: readonly string[]): Promise<ResponseRow[]> {
    return (await this.db.em()).query(
      `SELECT r.bulletin_id, r.organisation_id, o.name, r.due_at, r.action, r.note, r.responded_at
         FROM bulletin_responses r JOIN organisations o ON o.id = r.organisation_id
        WHERE r.bulletin_id = ANY($1) ORDER BY o.name, o.id`,
      [bulletinIds],
    );
  }

  /** The caller's organisation's requests past their deadline and unanswered, on its own current bulletins. */
  async overdue(authorOrganisationId: string, limit: number): Promise<ResponseRow[]> {
    return (await this.db.em()).query(
      `SELECT r.bulletin_id, r.organisation_id, o.name, r.due_at, r.action, r.note, r.responded_at
         FROM bulletin_responses r
         JOIN organisations o ON o.id = r.organisation_id
         JOIN bulletins b ON b.id = r.bulletin_id AND b.status = 'PUBLISHED' AND (b.valid_until IS NULL OR b.valid_until > now())
        WHERE r.author_organisation_id = $1 AND r.responded_at IS NULL AND r.due_at <= now()
        ORDER BY r.due_at, o.name LIMIT $2`,
      [authorOrganisationId, limit],
    );
  }

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
