import { Global, Module } from '@nestjs/common';
import { AbilityFactory } from './ability.factory';
import { AdmittingRulesCache } from './admitting-rules.cache';
import { SharingRepository } from './sharing.repository';
import { SharingResolver } from './sharing.resolver';
import { SharingRulesService } from './sharing-rules.service';
import { SharingRule } from './sharing-rule.entity';

export const SHARING_ENTITIES = [SharingRule];

@Global()
@Module({
  providers: [SharingRepository, AdmittingRulesCache, AbilityFactory, SharingRulesService, SharingResolver],
  exports: [AbilityFactory],
})
export class SharingModule {}
