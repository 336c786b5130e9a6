import { Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { AllowWithoutMfa, CurrentActor, SignedIn } from '../common/decorators';
import { Viewer } from './dto/viewer.types';
import { ViewerService } from './viewer.service';

/** The signed-in person: their account, the organisation they act for and their memberships. */
@Resolver()
export class ViewerResolver {
  constructor(private readonly viewers: ViewerService) {}

  @SignedIn()
  @AllowWithoutMfa()
  @Query(() => Viewer)
  me(@CurrentActor() actor: Actor): Promise<Viewer> {
    return this.viewers.viewer(actor);
  }
}
