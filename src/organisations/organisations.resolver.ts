import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { Connection } from '../common/pagination';
import { CreateOrganisationArgs, IdArgs, OrganisationsArgs, SuspendOrganisationArgs } from './dto/organisation.inputs';
import { OrganisationConnection } from './dto/organisation.types';
import { Organisation } from './organisation.entity';
import { OrganisationsService } from './organisations.service';

@Resolver(() => Organisation)
export class OrganisationsResolver {
  constructor(private readonly service: OrganisationsService) {}

  @Mutation(() => Organisation, { description: 'Platform admins onboard organisations.' })
  createOrganisation(@CurrentActor() actor: Actor, @Args() { input }: CreateOrganisationArgs): Promise<Organisation> {
    return this.service.create(actor, input);
  }

  @Mutation(() => Organisation, { description: 'Its members can do nothing until reinstated; its data stays.' })
  suspendOrganisation(
    @CurrentActor() actor: Actor,
    @Args() { id, reason }: SuspendOrganisationArgs,
  ): Promise<Organisation> {
    return this.service.suspend(actor, id, reason);
  }

  @Mutation(() => Organisation)
  reinstateOrganisation(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<Organisation> {
    return this.service.reinstate(actor, id);
  }

  @Query(() => OrganisationConnection, { description: 'The directory of member organisations.' })
  organisations(@CurrentActor() actor: Actor, @Args() args: OrganisationsArgs): Promise<Connection<Organisation>> {
    return this.service.list(actor, args);
  }

  @Query(() => Organisation)
  organisation(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<Organisation> {
    return this.service.get(actor, id);
  }
}
