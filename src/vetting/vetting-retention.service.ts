import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { VettingRepository } from './vetting.repository';

/**
 * Purges vetting records past their authority's retention, daily at VETTING_PURGE_TIME (UTC). Each
 * authority's trail records how many went (the vetting desk shows the count); nothing else about them.
 */
@Injectable()
export class VettingRetentionService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly db: DatabaseService,
    private readonly records: VettingRepository,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runDaily(QUEUE.vettingRetention, this.config.VETTING_PURGE_TIME, () => this.purge());
  }

  async purge(): Promise<{ organisation_id: string; records: number }[]> {
    const purged = await this.db.withRequest({}, () => this.records.purgeEnded());
    return this.audit.recordPurged('purgeVettingRecords', 'VettingRecord', purged);
  }
}
