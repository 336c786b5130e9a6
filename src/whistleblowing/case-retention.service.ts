import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { CaseHandlingService } from './case-handling.service';

/** Purges closed cases past their organisation's retention period, daily at CASE_PURGE_TIME (UTC). */
@Injectable()
export class CaseRetentionService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly cases: CaseHandlingService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runDaily(QUEUE.caseRetention, this.config.CASE_PURGE_TIME, () => this.cases.purgeClosed());
  }
}
