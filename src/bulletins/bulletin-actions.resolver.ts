import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { Checks, ChecksEach } from '../common/checks';
import { Bulletin } from './bulletin.entity';
import { BulletinReachService } from './bulletin-reach.service';
import { BulletinResponsesService } from './bulletin-responses.service';
import { BulletinResponse, OrganisationReach, OverdueResponse, Sighting } from './dto/bulletin-action.types';
import { RecordSightingArgs, RespondToBulletinArgs } from './dto/bulletin.inputs';
import { IndicatorHit } from './dto/bulletin.types';
import { SightingsService } from './sightings.service';

/** Acting on alerts: responses with deadlines, sightings, and the originator's view of its bulletins. */
@Resolver(() => Bulletin)
export class BulletinActionsResolver {
  constructor(
    private readonly responseService: BulletinResponsesService,
    private readonly sightingService: SightingsService,
    private readonly reachService: BulletinReachService,
  ) {}

  @ChecksEach('respond', 'Bulletin', 'Analysts and admins of an organisation a bulletin reached respond for it')
  @Mutation(() => Bulletin, { description: 'Once per recipient organisation: what it did about the bulletin.' })
  respondToBulletin(
    @CurrentActor() actor: Actor,
    @Args() { id, action, note }: RespondToBulletinArgs,
  ): Promise<Bulletin> {
    return this.responseService.respond(actor, id, action, note);
  }

  @ChecksEach('sight', 'Bulletin', 'Members of an organisation that reads a current bulletin record sightings')
  @Mutation(() => Sighting, { description: "One of the bulletin's indicators seen at a port (or a false positive)." })
  recordSighting(@CurrentActor() actor: Actor, @Args() { input }: RecordSightingArgs): Promise<Sighting> {
    return this.sightingService.record(actor, input);
  }

  @Checks('explain', 'Bulletin', "Only the author organisation's analysts and admins follow up responses")
  @Query(() => [OverdueResponse], {
    description:
      'Responses your organisation asked for on its current bulletins and has not had by their deadline, oldest first.',
  })
  overdueResponses(@CurrentActor() actor: Actor): Promise<OverdueResponse[]> {
    return this.responseService.overdue(actor);
  }

  @ResolveField(() => [BulletinResponse], {
    description: "Every recipient organisation's for the author organisation; your organisation's own otherwise.",
  })
  responses(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<BulletinResponse[]> {
    return this.responseService.of(actor, b);
  }

  @ResolveField(() => [Sighting], { description: 'Where its indicators were seen, newest first' })
  sightings(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<Sighting[]> {
    return this.sightingService.of(actor, b);
  }

  @ResolveField(() => [OrganisationReach], {
    nullable: true,
    description:
      "The originator's view: what each organisation did with the bulletin. Null unless you are an analyst or admin of its author organisation.",
  })
  reach(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<OrganisationReach[] | null> {
    return this.reachService.of(actor, b);
  }
}

@Resolver(() => IndicatorHit)
export class IndicatorHitResolver {
  constructor(private readonly sightingService: SightingsService) {}

  @ResolveField(() => [Sighting], { description: 'Sightings of this indicator on this bulletin' })
  sightings(@CurrentActor() actor: Actor, @Parent() hit: IndicatorHit): Promise<Sighting[]> {
    return this.sightingService.of(actor, hit.bulletin, hit.indicator.searchKey);
  }
}
