import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor, HeavyWork } from '../common/decorators';
import { ImportStixBundleArgs } from './dto/interop.inputs';
import { StixImportResult } from './dto/interop.types';
import { StixImportService } from './stix-import.service';
import { Checks } from '../common/checks';

@Resolver()
export class InteropResolver {
  constructor(private readonly stix: StixImportService) {}

  @Checks('create', 'Bulletin', 'Only analysts and organisation admins import STIX reports')
  @HeavyWork()
  @Mutation(() => StixImportResult, { description: 'Analysts and admins: STIX 2.1 reports become draft bulletins.' })
  importStixBundle(@CurrentActor() actor: Actor, @Args() { bundle }: ImportStixBundleArgs) {
    return this.stix.import(actor, bundle);
  }
}
