import { Module } from '@nestjs/common';
import { VettingRepository } from './vetting.repository';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IdentityEnvelope } from './identity-envelope';
import { VettingQueriesService } from './vetting-queries.service';
import { VettingRemindersService } from './vetting-reminders.service';
import { VettingRetentionService } from './vetting-retention.service';
import { VettingResolver } from './vetting.resolver';
import { VettingService } from './vetting.service';
import { VettingRecord } from './vetting-record.entity';
import { VettingReminder } from './vetting-reminder.entity';
import { VettingPurge } from './vetting-purge.entity';
import { VettingStatusChangeRecord } from './vetting-status-change.entity';

export const VETTING_ENTITIES = [VettingRecord, VettingReminder, VettingPurge, VettingStatusChangeRecord];

@Module({
  providers: [
    VettingRepository,
    {
      provide: IdentityEnvelope,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new IdentityEnvelope(config.encryptionKeys),
    },
    VettingService,
    VettingQueriesService,
    VettingRemindersService,
    VettingRetentionService,
    VettingResolver,
  ],
  exports: [VettingQueriesService],
})
export class VettingModule {}
