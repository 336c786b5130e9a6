import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { Checks, ChecksEach } from '../common/checks';
import { CurrentActor } from '../common/decorators';
import { IdArgs } from '../common/dto/id.inputs';
import { CreateSavedViewArgs, DefaultSavedViewArgs, UpdateSavedViewArgs } from './dto/saved-view.inputs';
import { SavedView } from './saved-view.entity';
import { SavedViewsService } from './saved-views.service';

@Resolver(() => SavedView)
export class SavedViewsResolver {
  constructor(private readonly views: SavedViewsService) {}

  @ChecksEach('read', 'SavedView', 'Members see their own views and those their colleagues share')
  @Query(() => [SavedView], { description: 'Your views of the feed and those your colleagues share, by name.' })
  savedViews(@CurrentActor() actor: Actor): Promise<SavedView[]> {
    return this.views.list(actor);
  }

  @Checks('create', 'SavedView', 'Saved views belong to a member of an organisation')
  @Mutation(() => SavedView)
  createSavedView(@CurrentActor() actor: Actor, @Args() { input }: CreateSavedViewArgs): Promise<SavedView> {
    return this.views.create(actor, input);
  }

  @ChecksEach('update', 'SavedView', 'Members change their own views')
  @Mutation(() => SavedView)
  updateSavedView(@CurrentActor() actor: Actor, @Args() { id, input }: UpdateSavedViewArgs): Promise<SavedView> {
    return this.views.update(actor, id, input);
  }

  @ChecksEach('update', 'SavedView', 'Members delete their own views')
  @Mutation(() => Boolean, { description: 'Also ends it as the default of colleagues who chose it.' })
  deleteSavedView(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<boolean> {
    return this.views.delete(actor, id);
  }

  @ChecksEach('read', 'SavedView', 'Members open on a view they may read')
  @Mutation(() => SavedView, { nullable: true, description: 'The view your feed opens on; without an id, none.' })
  setDefaultSavedView(@CurrentActor() actor: Actor, @Args() { id }: DefaultSavedViewArgs): Promise<SavedView | null> {
    return this.views.setDefault(actor, id);
  }

  @ResolveField(() => Boolean, { description: 'Yours (you may change and delete it)' })
  mine(@CurrentActor() actor: Actor, @Parent() view: SavedView): boolean {
    return view.userId === actor.userId;
  }

  @ResolveField(() => String, { description: 'Who made it' })
  ownerName(@Parent() view: SavedView): Promise<string> {
    return this.views.ownerName(view);
  }

  @ResolveField(() => Boolean, { description: 'Your feed opens on it' })
  async isDefault(@CurrentActor() actor: Actor, @Parent() view: SavedView): Promise<boolean> {
    return (await this.views.defaultId(actor)) === view.id;
  }
}
