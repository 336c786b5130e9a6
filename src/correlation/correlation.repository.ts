import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { IndicatorType } from '../bulletins/indicators';
import { DatabaseService } from '../database/database.service';
import { CorrelationExclusion } from './correlation-exclusion.entity';
import { CorrelationNoticeRecord } from './correlation-notice.entity';

/** A condition on `bulletins b` with its parameters: the reader's ability in SQL (sharing/ability-sql.ts). */
export interface Visible {
  sql: string;
  params: Record<string, unknown>;
}

export interface SharedValue {
  type: IndicatorType;
  value: string;
}

/**
 * Whether the organisation (`:viewerOrganisation`) or the platform excluded search key `k` from
 * correlation: one of their values, or a prefix of it.
 */
const EXCLUDED = (k: string) => `EXISTS (SELECT 1 FROM correlation_exclusions x
  WHERE (x.organisation_id IS NULL OR x.organisation_id = :viewerOrganisation)
    AND (x.search_key = ${k} OR (x.prefix AND starts_with(${k}, x.search_key))))`;

@Injectable()
export class CorrelationRepository {
  constructor(private readonly db: DatabaseService) {}

  /** SQL with `:named` parameters (the ability's conditions use them) in the request's transaction. */
  private async query<T>(sql: string, parameters: Record<string, unknown>): Promise<T[]> {
    const em = await this.db.em();
    return em.query(...em.connection.driver.escapeQueryWithParameters(sql, parameters));
  }

  /**
   * The issued bulletins the reader may read (`visible`) that share a value with `bulletinId`, each with
   * the shared values, most recently listed first: per value the `perValue` most recently written
   * holders the reader may read (read backwards along (search_key, id), stopping at the cap), at most
   * `limit` in all. Every row passes the reader's ability and row-level security before it is counted
   * towards a cap, so nothing about a bulletin the reader may not read shapes the answer.
   */
  async related(
    visible: Visible,
    viewerOrganisation: string | null,
    bulletinId: string,
    caps: { perValue: number; limit: number },
  ): Promise<{ bulletin_id: string; shared: SharedValue[] }[]> {
    return this.query(
      `SELECT h.bulletin_id, jsonb_agg(DISTINCT jsonb_build_object('type', h.type, 'value', h.value)) AS shared
         FROM (SELECT DISTINCT search_key FROM bulletin_indicators WHERE bulletin_id = :bulletinId) m
        CROSS JOIN LATERAL (
          SELECT o.bulletin_id, o.type, o.value, b.listed_at FROM bulletin_indicators o
            JOIN bulletins b ON b.id = o.bulletin_id
           WHERE o.search_key = m.search_key AND o.bulletin_id <> :bulletinId
             AND b.status IN ('PUBLISHED', 'RETRACTED') AND ${visible.sql}
           ORDER BY o.id DESC LIMIT :perValue
        ) h
        WHERE NOT ${EXCLUDED('m.search_key')}
        GROUP BY h.bulletin_id
        ORDER BY max(h.listed_at) DESC, h.bulletin_id
        LIMIT :limit`,
      { ...visible.params, bulletinId, viewerOrganisation, perValue: caps.perValue, limit: caps.limit },
    );
  }

  /** The values two bulletins share, exclusions of the reader's organisation and the platform left out. */
  async shared(
    viewerOrganisation: string | null,
    pairs: { bulletinId: string; relatedId: string }[],
  ): Promise<{ bulletin_id: string; related_id: string; type: IndicatorType; value: string }[]> {
    if (!pairs.length) return [];
    return this.query(
      `SELECT DISTINCT p.bulletin_id, p.related_id, o.type, o.value
         FROM unnest(CAST(:bulletinIds AS uuid[]), CAST(:relatedIds AS uuid[])) AS p(bulletin_id, related_id)
         JOIN bulletin_indicators m ON m.bulletin_id = p.bulletin_id
         JOIN bulletin_indicators o ON o.bulletin_id = p.related_id AND o.search_key = m.search_key
        WHERE NOT ${EXCLUDED('m.search_key')}
        ORDER BY o.type, o.value`,
      {
        bulletinIds: pairs.map((p) => p.bulletinId),
        relatedIds: pairs.map((p) => p.relatedId),
        viewerOrganisation,
      },
    );
  }

  /** Bulletins by id as row-level security lets the request read them. */
  async bulletins(ids: string[]): Promise<Bulletin[]> {
    return ids.length ? (await this.db.em()).findBy(Bulletin, { id: In(ids) }) : [];
  }

  /**
   * Whom to ask about a bulletin, and about which of their bulletins sharing which values
   * (`correlation_candidates`: names and ids, never content).
   */
  async candidates(
    bulletinId: string,
    keys: string[] | null,
    caps: { perValue: number; rows: number },
  ): Promise<{ user_id: string; organisation_id: string; bulletin_id: string; keys: string[] }[]> {
    return (await this.db.em()).query(
      `SELECT user_id, organisation_id, bulletin_id, keys FROM correlation_candidates($1, $2, $3, $4)`,
      [bulletinId, keys, caps.perValue, caps.rows],
    );
  }

  /** Which of `keys` the organisation or the platform excludes. */
  async excluded(viewerOrganisation: string, keys: string[]): Promise<Set<string>> {
    const rows = await this.query<{ key: string }>(
      `SELECT k AS key FROM unnest(CAST(:keys AS text[])) k WHERE ${EXCLUDED('k')}`,
      { keys, viewerOrganisation },
    );
    return new Set(rows.map((r) => r.key));
  }

  /** A bulletin's indicators whose keys are among `keys`, as the request may read them. */
  async valuesOf(bulletinId: string, keys: string[]): Promise<SharedValue[]> {
    return (await this.db.em()).query(
      `SELECT DISTINCT type, value FROM bulletin_indicators WHERE bulletin_id = $1 AND search_key = ANY($2) ORDER BY type, value`,
      [bulletinId, keys],
    );
  }

  /** New notices only (one per person, bulletin pair and kind): those that were not there already. */
  async addNotices(rows: Omit<CorrelationNoticeRecord, 'id' | 'createdAt' | 'seenAt'>[]): Promise<number> {
    if (!rows.length) return 0;
    const { raw } = await (
      await this.db.em()
    )
      .createQueryBuilder()
      .insert()
      .into(CorrelationNoticeRecord)
      .values(rows)
      .orIgnore()
      .returning('id')
      .execute();
    return (raw as unknown[]).length;
  }

  /** The person's notices of which they may still read both bulletins (`visible`, on `b`), newest first. */
  async notices(visible: Visible, unseenOnly: boolean, limit: number): Promise<CorrelationNoticeRecord[]> {
    const readable = (column: string) => `EXISTS (SELECT 1 FROM bulletins b WHERE b.id = ${column} AND ${visible.sql})`;
    const qb = (await this.db.em())
      .getRepository(CorrelationNoticeRecord)
      .createQueryBuilder('n')
      .where(readable('n.bulletin_id'), visible.params)
      .andWhere(readable('n.related_bulletin_id'))
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(limit);
    if (unseenOnly) qb.andWhere('n.seen_at IS NULL');
    return qb.getMany();
  }

  async markSeen(ids: string[] | undefined): Promise<number> {
    const qb = (await this.db.em())
      .createQueryBuilder()
      .update(CorrelationNoticeRecord)
      .set({ seenAt: () => 'now()' })
      .where('seen_at IS NULL');
    if (ids) qb.andWhere('id = ANY(:ids)', { ids });
    return (await qb.execute()).affected ?? 0;
  }

  async exclusions(): Promise<CorrelationExclusion[]> {
    return (await this.db.em()).find(CorrelationExclusion, { order: { createdAt: 'DESC' } });
  }

  async countExclusions(organisationId: string | null): Promise<number> {
    return (await this.db.em())
      .getRepository(CorrelationExclusion)
      .createQueryBuilder('x')
      .where(organisationId ? 'x.organisation_id = :organisationId' : 'x.organisation_id IS NULL', { organisationId })
      .getCount();
  }

  /** Null when the same exclusion exists already. */
  async addExclusion(row: Omit<CorrelationExclusion, 'id' | 'createdAt'>): Promise<CorrelationExclusion | null> {
    const { raw } = await (
      await this.db.em()
    )
      .createQueryBuilder()
      .insert()
      .into(CorrelationExclusion)
      .values(row)
      .orIgnore()
      .returning('*')
      .execute();
    const [created] = raw as Record<string, unknown>[];
    return created ? (await this.db.em()).findOneBy(CorrelationExclusion, { id: String(created.id) }) : null;
  }

  async exclusion(id: string): Promise<CorrelationExclusion | null> {
    return (await this.db.em()).findOneBy(CorrelationExclusion, { id });
  }

  async removeExclusion(id: string): Promise<void> {
    await (await this.db.em()).delete(CorrelationExclusion, { id });
  }

  async correlationMail(userId: string): Promise<boolean> {
    const [row] = await (await this.db.em()).query(`SELECT correlation_mail FROM users WHERE id = $1`, [userId]);
    return Boolean(row?.correlation_mail);
  }

  async setCorrelationMail(userId: string, enabled: boolean): Promise<void> {
    await (await this.db.em()).query(`UPDATE users SET correlation_mail = $2 WHERE id = $1`, [userId, enabled]);
  }

  async mailTo(userId: string): Promise<{ email: string; correlation_mail: boolean } | null> {
    const [row] = await (await this.db.em()).query(`SELECT email, correlation_mail FROM users WHERE id = $1`, [userId]);
    return row ?? null;
  }
}
