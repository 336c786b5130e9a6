import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { VettingModule } from '../vetting/vetting.module';
import { DataProtectionResolver } from './data-protection.resolver';
import { DataProtectionService } from './data-protection.service';
import { DataSubjectRequest } from './data-subject-request.entity';
import { DataSubjectRightsService } from './data-subject-rights.service';
import { PersonalDataRetentionService } from './personal-data-retention.service';
import { ProcessingLogService } from './processing-log.service';

export const DATA_PROTECTION_ENTITIES = [DataSubjectRequest];

@Module({
  imports: [OrganisationsModule, VettingModule],
  providers: [
    DataProtectionService,
    DataProtectionResolver,
    DataSubjectRightsService,
    PersonalDataRetentionService,
    ProcessingLogService,
  ],
})
export class DataProtectionModule {}
