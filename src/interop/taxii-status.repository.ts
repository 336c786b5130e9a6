import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { TaxiiStatus } from './taxii-status.entity';

@Injectable()
export class TaxiiStatusRepository {
  constructor(private readonly db: DatabaseService) {}

  async add(status: Omit<TaxiiStatus, 'id' | 'requestTimestamp'>): Promise<TaxiiStatus> {
    const em = await this.db.em();
    return em.save(em.create(TaxiiStatus, { ...status, requestTimestamp: new Date() }));
  }

  /** The caller's own status (row-level security: organisation and requester), or null. */
  async get(id: string): Promise<TaxiiStatus | null> {
    return (await this.db.em()).findOneBy(TaxiiStatus, { id });
  }

  /** Deletes every organisation's statuses older than `days` (a SECURITY DEFINER function); how many went, per organisation. */
  async purge(days: number): Promise<{ organisation_id: string; statuses: number }[]> {
    return (await this.db.em()).query(
      `SELECT organisation_id, statuses FROM taxii_statuses_purge(make_interval(days => $1))`,
      [days],
    );
  }
}
