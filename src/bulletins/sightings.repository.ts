import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { SightingKind } from './bulletin-enums';
import { IndicatorSightingRecord } from './indicator-sighting.entity';

export interface SightingRow {
  id: string;
  bulletinId: string;
  organisationId: string;
  name: string;
  indicatorType: string;
  value: string;
  searchKey: string;
  kind: SightingKind;
  port: string;
  seenAt: Date;
  note: string | null;
  createdAt: Date;
}

/** Sightings of bulletins' indicators; row-level security shows those of bulletins the caller sees. */
@Injectable()
export class SightingsRepository {
  constructor(private readonly db: DatabaseService) {}

  async add(sighting: Omit<IndicatorSightingRecord, 'id' | 'createdAt'>): Promise<SightingRow> {
    const em = await this.db.em();
    const { id } = await em.save(em.create(IndicatorSightingRecord, sighting));
    return (await this.ofBulletins([sighting.bulletinId], id))[0];
  }

  /** Newest first, with the sighting organisation's name. */
  async ofBulletins(bulletinIds: readonly string[], id?: string): Promise<SightingRow[]> {
    return (await this.db.em()).query(
      `SELECT s.id, s.bulletin_id AS "bulletinId", s.organisation_id AS "organisationId", o.name,
              s.indicator_type AS "indicatorType", s.value, s.search_key AS "searchKey", s.kind, s.port,
              s.seen_at AS "seenAt", s.note, s.created_at AS "createdAt"
         FROM indicator_sightings s JOIN organisations o ON o.id = s.organisation_id
        WHERE s.bulletin_id = ANY($1) AND ($2::uuid IS NULL OR s.id = $2)
        ORDER BY s.seen_at DESC, s.id`,
      [bulletinIds, id ?? null],
    );
  }
}
