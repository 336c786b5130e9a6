import { Args, ArgsType, Field, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { IsObject } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { Bulletin } from '../bulletins/bulletin.entity';
import { SkippedObject, StixImportService } from './stix-import.service';
import { Checks } from '../sharing/checks';

@ArgsType()
class ImportStixBundleArgs {
  @Field(() => GraphQLJSONObject, { description: 'A STIX 2.1 bundle' })
  @IsObject()
  bundle: Record<string, unknown>;
}

@ObjectType()
class StixSkippedObject {
  @Field()
  id: string;

  @Field()
  type: string;

  @Field()
  reason: string;
}

@ObjectType()
class StixImportResult {
  @Field(() => [Bulletin], { description: 'One draft per report, for analysts to review and publish' })
  drafts: Bulletin[];

  @Field(() => [StixSkippedObject], { description: 'Everything in the bundle that is not part of a draft, and why' })
  skipped: SkippedObject[];
}

@Resolver()
export class InteropResolver {
  constructor(private readonly stix: StixImportService) {}

  @Checks('create', 'Bulletin', 'Only analysts and organisation admins import STIX reports')
  @Mutation(() => StixImportResult, { description: 'Analysts and admins: STIX 2.1 reports become draft bulletins.' })
  importStixBundle(@CurrentActor() actor: Actor, @Args() { bundle }: ImportStixBundleArgs) {
    return this.stix.import(actor, bundle);
  }
}
