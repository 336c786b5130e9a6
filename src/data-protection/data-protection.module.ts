import { Module } from '@nestjs/common';
import { DataProtectionResolver } from './data-protection.resolver';
import { DataProtectionService } from './data-protection.service';
import { PersonalDataRetentionService } from './personal-data-retention.service';

@Module({ providers: [DataProtectionService, DataProtectionResolver, PersonalDataRetentionService] })
export class DataProtectionModule {}
