import { Module } from '@nestjs/common';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { CapController } from './cap.controller';
import { CapRepository } from './cap.repository';
import { InteropResolver } from './interop.resolver';
import { StixController } from './stix.controller';
import { TaxiiController } from './taxii.controller';
import { MispFeedController } from './misp.controller';
import { StixImportService } from './stix-import.service';
import { TaxiiStatusRepository } from './taxii-status.repository';
import { TaxiiStatusRetentionService } from './taxii-status-retention.service';
import { TaxiiStatus } from './taxii-status.entity';

export const INTEROP_ENTITIES = [TaxiiStatus];

@Module({
  imports: [BulletinsModule],
  controllers: [StixController, CapController, TaxiiController, MispFeedController],
  providers: [CapRepository, StixImportService, TaxiiStatusRepository, TaxiiStatusRetentionService, InteropResolver],
})
export class InteropModule {}
