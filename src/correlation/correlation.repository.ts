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
 * Leaves out what the reader's organisation or the platform excluded: `k` is the compared search key.
 * Prefix exclusions cover every key that begins with theirs.
 */
const NOT_EXCLUDED = (k: string) => `NOT EXISTS (SELECT 1 FROM correlation_exclusions x
  WHERE (x.organisation_id IS NULL OR x.organisation_id = :viewerOrganisation)
    AND (x.search_key = ${k} OR (x.prefix AND starts_with(${k}, x.search_key))))`;

@Injectable()
export class CorrelationRepository {
  constructor(private readonly db: DatabaseService) {}

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
    const em = await this.db.em();
    const [sql, params] = em.connection.driver.escapeQueryWithParameters(
      `SELECT h.bulletin_id, jsonb_agg(DISTINCT jsonb_build_object('type', h.type, 'value', h.value)) AS shared
         FROM (SELECT DISTINCT search_key FROM bulletin_indicators WHERE bulletin_id = :bulletinId) m
        CROSS JOIN LATERAL (
          SELECT o.bulletin_id, o.type, o.value, b.listed_at FROM bulletin_indicators o
            JOIN bulletins b ON b.id = o.bulletin_id
           WHERE o.search_key = m.search_key AND o.bulletin_id <> :bulletinId
             AND b.status IN ('PUBLISHED', 'RETRACTED') AND ${visible.sql}
           ORDER BY o.id DESC LIMIT :perValue
        ) h
        WHERE ${NOT_EXCLUDED('m.search_key')}
        GROUP BY h.bulletin_id
        ORDER BY max(h.listed_at) DESC, h.bulletin_id
        LIMIT :limit`,
      { ...visible.params, bulletinId, viewerOrganisation, perValue: caps.perValue, limit: caps.limit },
    );
    return em.query(sql, params);
  }

  /** The values two bulletins share, exclusions of the reader's organisation and the platform left out. */
  async shared(
    viewerOrganisation: string | null,
    pairs: { bulletinId: string; relatedId: string }[],
  ): Promise<{ bulletin_id: string; related_id: string; type: IndicatorType; value: string }[]> {
    if (!pairs.length) return [];
    return (await this.db.em()).query(
      `SELECT DISTINCT p.bulletin_id, p.related_id, o.type, o.value
         FROM unnest($1::uuid[], $2::uuid[]) AS p(bulletin_id, related_id)
         JOIN bulletin_indicators m ON m.bulletin_id = p.bulletin_id
         JOIN bulletin_indicators o ON o.bulletin_id = p.related_id AND o.search_key = m.search_key
        WHERE NOT EXISTS (SELECT 1 FROM correlation_exclusions x
                WHERE (x.organisation_id IS NULL OR x.organisation_id = $3)
                  AND (x.search_key = m.search_key OR (x.prefix AND starts_with(m.search_key, x.search_key))))
        ORDER BY o.type, o.value`,
      [pairs.map((p) => p.bulletinId), pairs.map((p) => p.relatedId), viewerOrganisation],
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

  /** Which of `keys` the acting organisation or the platform excludes (row-level security: its own and the platform's). */
  async excluded(keys: string[]): Promise<Set<string>> {
    const rows: { key: string }[] = await (
      await this.db.em()
    ).query(
      `SELECT k AS key FROM unnest($1::text[]) k WHERE EXISTS (SELECT 1 FROM correlation_exclusions x
         WHERE x.search_key = k OR (x.prefix AND starts_with(k, x.search_key)))`,
      [keys],
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

  /** The person's notices whose other bulletin they may still read (`visible` on it as `b`), newest first. */
  async notices(visible: Visible, unseenOnly: boolean, limit: number): Promise<CorrelationNoticeRecord[]> {
    const qb = (await this.db.em())
      .getRepository(CorrelationNoticeRecord)
      .createQueryBuilder('n')
      .innerJoin(Bulletin, 'b', 'b.id = n.related_bulletin_id')
      .where(visible.sql, visible.params)
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
