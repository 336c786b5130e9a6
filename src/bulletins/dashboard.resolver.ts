import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { ChecksEach } from '../common/checks';
import { CurrentActor } from '../common/decorators';
import { DashboardService } from './dashboard.service';
import { Dashboard, DashboardArgs } from './dto/dashboard.types';

@Resolver(() => Dashboard)
export class DashboardResolver {
  constructor(private readonly dashboards: DashboardService) {}

  @ChecksEach('read', 'Bulletin', 'Members of an organisation count what they may read')
  @Query(() => Dashboard, {
    description: 'Bulletins per week and port, responses asked of you, your acknowledgements and recent sightings.',
  })
  dashboard(@CurrentActor() actor: Actor, @Args() { weeks }: DashboardArgs): Promise<Dashboard> {
    return this.dashboards.dashboard(actor, weeks);
  }
}
