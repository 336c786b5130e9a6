import { Global, Module } from '@nestjs/common';
import { AbilityFactory } from './ability.factory';
import { AdmittingRulesCache } from './admitting-rules.cache';
import { SharingRepository } from './sharing.repository';
import { SharingResolver } from './sharing.resolver';
import { SharingRulesService } from './sharing-rules.service';

@Global()
@Module({
  providers: [SharingRepository, AdmittingRulesCache, AbilityFactory, SharingRulesService, SharingResolver],
  exports: [AbilityFactory],
})
export class SharingModule {}
