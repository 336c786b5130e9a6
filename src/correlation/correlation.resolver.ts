import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Checks, ChecksEach } from '../common/checks';
import { CurrentActor, SignedIn } from '../common/decorators';
import { IdArgs } from '../common/dto/id.inputs';
import { CorrelationExclusion } from './correlation-exclusion.entity';
import { CorrelationService } from './correlation.service';
import {
  AddCorrelationExclusionArgs,
  CorrelationMailArgs,
  CorrelationNoticesArgs,
  SeenNoticesArgs,
} from './dto/correlation.inputs';
import { CorrelationNotice, RelatedBulletin } from './dto/correlation.types';

@Resolver(() => Bulletin)
export class RelatedBulletinsResolver {
  constructor(private readonly correlation: CorrelationService) {}

  @ResolveField(() => [RelatedBulletin], {
    description:
      'Other bulletins you may read that share an indicator value with this one, most recent first, with the shared values. Nothing about bulletins you may not read.',
  })
  related(@CurrentActor() actor: Actor, @Parent() bulletin: Bulletin): Promise<RelatedBulletin[]> {
    return this.correlation.related(actor, bulletin);
  }
}

@Resolver()
export class CorrelationResolver {
  constructor(private readonly correlation: CorrelationService) {}

  @SignedIn()
  @Query(() => [CorrelationNotice], {
    description:
      'Later bulletins, and sightings, related to bulletins you wrote, while you may read both; newest first.',
  })
  correlationNotices(@CurrentActor() actor: Actor, @Args() { unseenOnly }: CorrelationNoticesArgs) {
    return this.correlation.notices(actor, unseenOnly);
  }

  @SignedIn()
  @Mutation(() => Int, { description: 'Marks your notices seen (all of them without ids); how many were new.' })
  markCorrelationNoticesSeen(@Args() { ids }: SeenNoticesArgs): Promise<number> {
    return this.correlation.markSeen(ids);
  }

  @SignedIn()
  @Query(() => Boolean, { description: 'Whether you also receive your correlation notices by e-mail.' })
  correlationMail(@CurrentActor() actor: Actor): Promise<boolean> {
    return this.correlation.correlationMail(actor);
  }

  @SignedIn()
  @Mutation(() => Boolean)
  setCorrelationMail(@CurrentActor() actor: Actor, @Args() { enabled }: CorrelationMailArgs): Promise<boolean> {
    return this.correlation.setCorrelationMail(actor, enabled);
  }

  @Checks('read', 'CorrelationExclusion', 'Members of an organisation see its exclusions and the platform’s')
  @Query(() => [CorrelationExclusion], {
    description: 'Values left out of correlation: your organisation’s and the platform’s.',
  })
  correlationExclusions(): Promise<CorrelationExclusion[]> {
    return this.correlation.exclusions();
  }

  @Checks(
    'create',
    'CorrelationExclusion',
    'Organisation admins exclude values for their organisation, platform administrators for the platform',
  )
  @Mutation(() => CorrelationExclusion)
  addCorrelationExclusion(
    @CurrentActor() actor: Actor,
    @Args() { input }: AddCorrelationExclusionArgs,
  ): Promise<CorrelationExclusion> {
    return this.correlation.addExclusion(actor, input);
  }

  @ChecksEach(
    'delete',
    'CorrelationExclusion',
    'Organisation admins remove their organisation’s exclusions, platform administrators the platform’s',
  )
  @Mutation(() => CorrelationExclusion)
  removeCorrelationExclusion(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<CorrelationExclusion> {
    return this.correlation.removeExclusion(actor, id);
  }
}
