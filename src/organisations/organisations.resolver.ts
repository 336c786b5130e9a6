import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { Connection } from '../common/pagination';
import {
  CreateOrganisationArgs,
  OrganisationsArgs,
  SuspendOrganisationArgs,
  UpdateOrganisationProfileArgs,
} from './dto/organisation.inputs';
import { IdArgs } from '../common/dto/id.inputs';
import { OrganisationConnection } from './dto/organisation.types';
import { Organisation } from './organisation.entity';
import { OrganisationsService } from './organisations.service';
import { Checks, ChecksEach } from '../common/checks';

@Resolver(() => Organisation)
export class OrganisationsResolver {
  constructor(private readonly service: OrganisationsService) {}

  @Checks('create', 'Organisation', 'Only platform administrators onboard organisations')
  @Mutation(() => Organisation, { description: 'Platform admins onboard organisations.' })
  createOrganisation(@CurrentActor() actor: Actor, @Args() { input }: CreateOrganisationArgs): Promise<Organisation> {
    return this.service.create(actor, input);
  }

  @Checks('update', 'Organisation', "Only organisation admins edit their organisation's profile")
  @Mutation(() => Organisation, { description: "Organisation admins: the organisation's ports and contact point." })
  updateOrganisationProfile(
    @CurrentActor() actor: Actor,
    @Args() { input }: UpdateOrganisationProfileArgs,
  ): Promise<Organisation> {
    return this.service.updateProfile(actor, input);
  }

  @ChecksEach('suspend', 'Organisation', 'Only platform administrators suspend organisations')
  @Mutation(() => Organisation, { description: 'Its members can do nothing until reinstated; its data stays.' })
  suspendOrganisation(
    @CurrentActor() actor: Actor,
    @Args() { id, reason }: SuspendOrganisationArgs,
  ): Promise<Organisation> {
    return this.service.suspend(actor, id, reason);
  }

  @ChecksEach('suspend', 'Organisation', 'Only platform administrators reinstate organisations')
  @Mutation(() => Organisation)
  reinstateOrganisation(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<Organisation> {
    return this.service.reinstate(actor, id);
  }

  @ChecksEach('read', 'Organisation', 'Members and platform administrators read the directory')
  @Query(() => OrganisationConnection, { description: 'The directory of member organisations.' })
  organisations(@CurrentActor() actor: Actor, @Args() args: OrganisationsArgs): Promise<Connection<Organisation>> {
    return this.service.list(actor, args);
  }

  @ResolveField(() => Boolean, {
    nullable: true,
    description:
      'Platform administrators: true while it has no member yet (invite its first ORG_ADMIN); null for everyone else',
  })
  awaitingFirstAdmin(@CurrentActor() actor: Actor, @Parent() organisation: Organisation): Promise<boolean | null> {
    return this.service.awaitingFirstAdmin(actor, organisation.id);
  }

  @ChecksEach('read', 'Organisation', 'Members and platform administrators read the directory')
  @Query(() => Organisation)
  organisation(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<Organisation> {
    return this.service.get(actor, id);
  }
}
