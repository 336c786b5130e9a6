import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Organisation } from '../organisations/organisation.entity';
import { OrganisationStatus } from '../common/organisation-type';
import { BulletinAcknowledgement } from './bulletin-acknowledgement.entity';
import { BulletinRead } from './bulletin-read.entity';
import { BulletinVersionRecord } from './bulletin-version-record.entity';
import { Bulletin } from './bulletin.entity';

export type NewVersion = Omit<BulletinVersionRecord, 'publishedAt' | 'addedAt'>;

export interface AcknowledgementRow {
  bulletin_id: string;
  organisation_id: string;
  name: string;
  note: string | null;
  created_at: Date;
}

/** Bulletins' versions, acknowledgements and row locks, and the audiences whoCanSee weighs. */
@Injectable()
export class BulletinRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * The bulletin, its row locked until the transaction ends (one change at a time). FOR UPDATE passes
   * row-level security's UPDATE policies: a caller who may not change the bulletin locks nothing, reads
   * it all the same, and is refused by the ability next.
   */
  async locked(id: string): Promise<Bulletin> {
    const em = await this.db.em();
    await em.query(`SELECT 1 FROM bulletins WHERE id = $1 FOR UPDATE`, [id]);
    return em.findOneByOrFail(Bulletin, { id });
  }

  /**
   * The users a bulletin names (its author, its TLP:RED recipients), whatever the caller may read
   * (SECURITY DEFINER): real-time delivery checks these users one by one (RealtimeService).
   */
  async namedUsers(id: string): Promise<string[]> {
    const [row] = await this.db.query<{ ids: string[] | null }[]>(`SELECT bulletin_named_users($1) AS ids`, [id]);
    return row?.ids ?? [];
  }

  async addVersion(version: NewVersion): Promise<void> {
    await (await this.db.em()).insert(BulletinVersionRecord, version as QueryDeepPartialEntity<BulletinVersionRecord>);
  }

  /**
   * A retraction re-adds the last version to feeds (as a revoked report): its `added_at` moves to now,
   * under the bulletin events lock, so in commit order (migrations FeedOrder, RetractionInFeed).
   */
  async readdRetractedVersion(id: string): Promise<void> {
    await (await this.db.em()).query(`SELECT readd_retracted_version($1)`, [id]);
  }

  /** False when the organisation has acknowledged the bulletin already. */
  async acknowledge(
    ack: Pick<BulletinAcknowledgement, 'bulletinId' | 'organisationId' | 'userId' | 'note'>,
  ): Promise<boolean> {
    const { raw } = await (
      await this.db.em()
    )
      .createQueryBuilder()
      .insert()
      .into(BulletinAcknowledgement)
      .values(ack)
      .orIgnore()
      .returning('bulletin_id')
      .execute();
    return (raw as unknown[]).length > 0;
  }

  /** The acknowledgements of these bulletins with their organisations' names, oldest first. */
  async acknowledgements(bulletinIds: readonly string[]): Promise<AcknowledgementRow[]> {
    return (await this.db.em()).query(
      `SELECT a.bulletin_id, a.organisation_id, o.name, a.note, a.created_at
         FROM bulletin_acknowledgements a JOIN organisations o ON o.id = a.organisation_id
        WHERE a.bulletin_id = ANY($1) ORDER BY a.created_at`,
      [bulletinIds],
    );
  }

  async activeOrganisations(): Promise<Pick<Organisation, 'id' | 'name'>[]> {
    return (await this.db.em()).find(Organisation, {
      select: { id: true, name: true },
      where: { status: OrganisationStatus.ACTIVE },
      order: { name: 'ASC' },
    });
  }

  /** How many active people each of these active organisations has (a SECURITY DEFINER function: counts only). */
  async peopleIn(organisationIds: string[]): Promise<Map<string, number>> {
    const rows: { organisation_id: string; people: number }[] = await (
      await this.db.em()
    ).query(`SELECT * FROM people_in_good_standing($1)`, [organisationIds]);
    return new Map(rows.map((r) => [r.organisation_id, r.people]));
  }

  /** Of these users, those active and still members of an active organisation (a SECURITY DEFINER function). */
  async usersInGoodStanding(userIds: string[]): Promise<{ id: string; display_name: string }[]> {
    return (await this.db.em()).query(
      `SELECT id, display_name FROM users WHERE id IN (SELECT users_in_good_standing($1)) ORDER BY display_name`,
      [userIds],
    );
  }

  /** Notes that the caller opened this version (a later version read earlier is kept). */
  async markRead(userId: string, bulletinId: string, version: number): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `INSERT INTO bulletin_reads (user_id, bulletin_id, version) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, bulletin_id)
       DO UPDATE SET version = GREATEST(bulletin_reads.version, EXCLUDED.version), read_at = now()`,
      [userId, bulletinId, version],
    );
  }

  /** The caller's own read markers of these bulletins (row-level security shows no one else's). */
  async reads(bulletinIds: readonly string[]): Promise<BulletinRead[]> {
    return (await this.db.em())
      .getRepository(BulletinRead)
      .createQueryBuilder('r')
      .where('r.bulletin_id = ANY(:ids)', { ids: bulletinIds })
      .getMany();
  }

  /** Of these bulletins' current versions, those the caller has exported this way before, as `id/version`. */
  async exportedBefore(action: string, bulletins: Pick<Bulletin, 'id' | 'version'>[]): Promise<Set<string>> {
    const rows: { key: string }[] = await (
      await this.db.em()
    ).query(
      `SELECT DISTINCT e.object_id || '/' || (e.details->>'version') AS key
         FROM audit_events e
        WHERE e.object_type = 'Bulletin' AND e.object_id = ANY($1) AND e.action = $2 AND e.actor_user_id = app_user_id()`,
      [bulletins.map((b) => b.id), action],
    );
    return new Set(rows.map((r) => r.key));
  }

  /** The active organisations of these users (SECURITY DEFINER: ids only), for TLP:RED response requests. */
  async organisationsOf(userIds: string[]): Promise<string[]> {
    const rows: { id: string }[] = await (
      await this.db.em()
    ).query(`SELECT organisations_of_users AS id FROM organisations_of_users($1)`, [userIds]);
    return rows.map((r) => r.id);
  }

  /** Analysts and admins of an active organisation, by name: whom a TLP:RED bulletin can name. */
  async recipientDirectory(organisationId: string): Promise<{ id: string; displayName: string }[]> {
    const rows: { user_id: string; display_name: string }[] = await (
      await this.db.em()
    ).query(`SELECT user_id, display_name FROM recipient_directory($1)`, [organisationId]);
    return rows.map((r) => ({ id: r.user_id, displayName: r.display_name }));
  }
}
