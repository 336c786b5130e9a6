import { Module } from '@nestjs/common';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { CorrelationExclusion } from './correlation-exclusion.entity';
import { CorrelationNoticeRecord } from './correlation-notice.entity';
import { CorrelationRepository } from './correlation.repository';
import { CorrelationResolver, RelatedBulletinsResolver } from './correlation.resolver';
import { CorrelationService } from './correlation.service';

export const CORRELATION_ENTITIES = [CorrelationExclusion, CorrelationNoticeRecord];

@Module({
  imports: [BulletinsModule],
  providers: [CorrelationRepository, CorrelationService, CorrelationResolver, RelatedBulletinsResolver],
})
export class CorrelationModule {}
