import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { VettingReasonCode, VettingStatus } from './vetting-enums';
import { VettingLevel } from '../common/categories';
import { PSEUDONYM_BYTES } from './subject-pseudonym';

/** A new record, identity sealed by the caller (identity-envelope.ts). */
export interface NewVettingRecord {
  id: string;
  organisationId: string;
  employerOrganisationId: string;
  subjectPseudonym: Buffer;
  pseudonymKey: string;
  /** The subject's pseudonyms under keys a rotation replaced: records not yet re-keyed count as held. */
  previousPseudonyms: Buffer[];
  identityKey: string;
  identity: string;
  level: VettingLevel;
  status: VettingStatus;
  reasonCode: VettingReasonCode | null;
  validFrom: Date;
  validUntil: Date | null;
}

export interface StatusChange {
  id: string;
  recordId: string;
  organisationId: string;
  kind: string;
  status: VettingStatus;
  reasonCode: VettingReasonCode | null;
  validUntil: Date | null;
  /** Sealed under the record's key. */
  note: string | null;
  changedBy: string;
}

export interface HistoryRow {
  id: string;
  record_id: string;
  kind: string;
  status: VettingStatus;
  reason_code: VettingReasonCode | null;
  valid_until: Date | null;
  note: string | null;
  changed_by: string;
  changed_at: Date;
  identity_key: string;
}

export interface CrossMatchRow {
  idx: number;
  record_id: string;
  status: VettingStatus;
  organisation_id: string;
}

export interface ExpiringRecord {
  id: string;
  level: string;
  valid_until: Date;
  authority: string;
  employer: string;
}

/** Vetting records, their history and reminders, in the transaction of the request or job. */
@Injectable()
export class VettingRepository {
  constructor(private readonly db: DatabaseService) {}

  /** False when the organisation already holds a record of this subject for this employer. */
  async insert(r: NewVettingRecord): Promise<boolean> {
    const inserted: unknown[] = await (
      await this.db.em()
    ).query(
      `INSERT INTO vetting_records (id, organisation_id, employer_organisation_id, subject_pseudonym, identity_key, identity,
                                    level, status, reason_code, valid_from, valid_until, status_changed_at, updated_at,
                                    pseudonym_key)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), now(), $12
        WHERE NOT EXISTS (SELECT 1 FROM vetting_records WHERE organisation_id = $2 AND employer_organisation_id = $3
                                                          AND subject_pseudonym = ANY($13::bytea[]))
       ON CONFLICT (organisation_id, employer_organisation_id, subject_pseudonym) DO NOTHING RETURNING id`,
      [
        r.id,
        r.organisationId,
        r.employerOrganisationId,
        r.subjectPseudonym,
        r.identityKey,
        r.identity,
        r.level,
        r.status,
        r.reasonCode,
        r.validFrom,
        r.validUntil,
        r.pseudonymKey,
        r.previousPseudonyms,
      ],
    );
    return inserted.length > 0;
  }

  async logChange(c: StatusChange): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `INSERT INTO vetting_status_changes (id, record_id, organisation_id, kind, status, reason_code, valid_until, note, changed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.id, c.recordId, c.organisationId, c.kind, c.status, c.reasonCode, c.validUntil, c.note, c.changedBy],
    );
  }

  /** The status changes of these records, oldest first, with each record's identity key. */
  async history(recordIds: readonly string[]): Promise<HistoryRow[]> {
    return (await this.db.em()).query(
      `SELECT c.*, v.identity_key FROM vetting_status_changes c JOIN vetting_records v ON v.id = c.record_id
        WHERE c.record_id = ANY($1) ORDER BY c.changed_at, c.id`,
      [recordIds],
    );
  }

  /**
   * Other authorities' adverse decisions on these subjects (a SECURITY DEFINER function, most recent
   * first). The pseudonyms travel as one bytea, cut in Postgres: a bytea[] of a thousand is escaped
   * element by element in JavaScript, tens of milliseconds in which the server answers no one else.
   */
  async crossMatch(pseudonyms: Buffer[]): Promise<CrossMatchRow[]> {
    return (await this.db.em()).query(
      `SELECT idx, record_id, status, organisation_id FROM vetting_cross_match(ARRAY(
         SELECT substring($1::bytea FROM i * ${PSEUDONYM_BYTES} + 1 FOR ${PSEUDONYM_BYTES})
           FROM generate_series(0, length($1::bytea) / ${PSEUDONYM_BYTES} - 1) AS i ORDER BY i))`,
      [Buffer.concat(pseudonyms)],
    );
  }

  /** Organisations with clearances lapsing within `horizon` (an interval, e.g. '30 days'). */
  async reminderOrganisations(horizon: string): Promise<string[]> {
    const rows: { org: string }[] = await (
      await this.db.em()
    ).query(`SELECT org FROM vetting_reminder_organisations($1::interval) AS org`, [horizon]);
    return rows.map((r) => r.org);
  }

  /** Claims the organisation's reminder of `day`; false if it was claimed (sent) already. */
  async claimReminder(organisationId: string, day: string): Promise<boolean> {
    const rows: unknown[] = await (
      await this.db.em()
    ).query(
      `INSERT INTO vetting_reminders (organisation_id, day, records) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING RETURNING day`,
      [organisationId, day],
    );
    return rows.length > 0;
  }

  async setReminderCount(organisationId: string, day: string, records: number): Promise<void> {
    await (
      await this.db.em()
    ).query(`UPDATE vetting_reminders SET records = $3 WHERE organisation_id = $1 AND day = $2`, [
      organisationId,
      day,
      records,
    ]);
  }

  /** Clearances the organisation granted or holds for its staff that lapse within `horizon`. */
  async expiring(organisationId: string, horizon: string, statuses: VettingStatus[]): Promise<ExpiringRecord[]> {
    return (await this.db.em()).query(
      `SELECT v.id, v.level, v.valid_until, a.name AS authority, e.name AS employer
         FROM vetting_records v
         JOIN organisations a ON a.id = v.organisation_id
         JOIN organisations e ON e.id = v.employer_organisation_id
        WHERE (v.organisation_id = $1 OR v.employer_organisation_id = $1)
          AND v.status = ANY($3) AND v.valid_until > now() AND v.valid_until <= now() + $2::interval
        ORDER BY v.valid_until, v.id`,
      [organisationId, horizon, statuses],
    );
  }

  async adminEmails(organisationId: string): Promise<string[]> {
    const rows: { email: string }[] = await (
      await this.db.em()
    ).query(
      `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organisation_id = $1 AND m.role = 'ORG_ADMIN' AND u.status = 'ACTIVE' ORDER BY u.email`,
      [organisationId],
    );
    return rows.map((r) => r.email);
  }

  /** Deletes, across all authorities, records past their authority's retention (a SECURITY DEFINER function). */
  async purgeEnded(): Promise<{ organisation_id: string; records: number }[]> {
    return (await this.db.em()).query(`SELECT organisation_id, records FROM vetting_purge_ended()`);
  }

  async retention(organisationId: string): Promise<{
    days: number;
    due_now: number;
    last_purged_at: Date | null;
    last_purged: number;
    purged_total: number;
  }> {
    const [row] = await (
      await this.db.em()
    ).query(
      `SELECT o.vetting_retention_days AS days,
              (SELECT count(*)::int FROM vetting_records v
                WHERE v.organisation_id = o.id
                  AND vetting_record_ended(v.status, v.valid_until, v.employment_ended_on, v.status_changed_at)
                      <= now() - make_interval(days => o.vetting_retention_days)) AS due_now,
              last.purged_at AS last_purged_at, coalesce(last.records, 0) AS last_purged,
              (SELECT coalesce(sum(p.records), 0)::int FROM vetting_purges p WHERE p.organisation_id = o.id) AS purged_total
         FROM organisations o
         LEFT JOIN LATERAL (SELECT p.purged_at, p.records FROM vetting_purges p WHERE p.organisation_id = o.id
                             ORDER BY p.purged_at DESC LIMIT 1) last ON true
        WHERE o.id = $1`,
      [organisationId],
    );
    return row;
  }

  async setRetention(organisationId: string, days: number): Promise<void> {
    await (
      await this.db.em()
    ).query(`UPDATE organisations SET vetting_retention_days = $2 WHERE id = $1`, [organisationId, days]);
  }
}
