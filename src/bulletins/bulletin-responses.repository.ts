import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { ResponseAction } from './bulletin-enums';

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
}
