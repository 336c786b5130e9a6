import { Global, Module } from '@nestjs/common';
import { AbilityFactory } from './ability.factory';
import { SharingRepository } from './sharing.repository';
import { SharingResolver } from './sharing.resolver';
import { SharingRulesService } from './sharing-rules.service';

@Global()
@Module({
  providers: [SharingRepository, AbilityFactory, SharingRulesService, SharingResolver],
  exports: [AbilityFactory],
})
export class SharingModule {}
