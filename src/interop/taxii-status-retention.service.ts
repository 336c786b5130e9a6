import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { TaxiiStatusRepository } from './taxii-status.repository';

/** Housekeeping, away from the other daily jobs (03:00 and 03:30 by default). */
const PURGE_TIME = '03:45';

/**
 * Deletes TAXII status resources older than TAXII_STATUS_RETENTION_DAYS, daily: a poster reads its
 * status soon after posting (TAXII 2.1 §4.3), and the drafts it names stay. Each organisation's trail
 * records how many went.
 */
@Injectable()
export class TaxiiStatusRetentionService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly db: DatabaseService,
    private readonly statuses: TaxiiStatusRepository,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runDaily(QUEUE.taxiiStatusRetention, PURGE_TIME, () => this.purge());
  }

  async purge(): Promise<{ organisation_id: string; statuses: number }[]> {
    const purged = await this.db.withRequest({}, () => this.statuses.purge(this.config.TAXII_STATUS_RETENTION_DAYS));
    return this.audit.recordPurged('purgeTaxiiStatuses', 'TaxiiStatus', purged);
  }
}
