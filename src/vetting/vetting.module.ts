import { Module } from '@nestjs/common';
import { VettingRepository } from './vetting.repository';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IdentityEnvelope } from './identity-envelope';
import { VettingQueriesService } from './vetting-queries.service';
import { VettingRemindersService } from './vetting-reminders.service';
import { VettingRetentionService } from './vetting-retention.service';
import { VettingResolver } from './vetting.resolver';
import { VettingService } from './vetting.service';

@Module({
  providers: [
    VettingRepository,
    {
      provide: IdentityEnvelope,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new IdentityEnvelope(config.encryptionKey),
    },
    VettingService,
    VettingQueriesService,
    VettingRemindersService,
    VettingRetentionService,
    VettingResolver,
  ],
})
export class VettingModule {}
