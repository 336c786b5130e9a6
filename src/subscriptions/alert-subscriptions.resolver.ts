import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { Connection, ConnectionType } from '../common/pagination';
import { IdArgs } from '../common/dto/id.inputs';
import { AlertFilter, AlertSubscription } from './alert-subscription.entity';
import { AlertSubscriptionsService } from './alert-subscriptions.service';
import { AlertFilterPreview } from './dto/alert-subscription.types';
import {
  AlertFilterInput,
  AlertFilterPreviewArgs,
  AlertSubscriptionsArgs,
  CreateAlertSubscriptionArgs,
  UpdateAlertSubscriptionArgs,
} from './dto/alert-subscription.inputs';
import { alertFilterOf } from './alert-filter';
import { Checks, ChecksEach } from '../common/checks';

const AlertSubscriptionConnection = ConnectionType(AlertSubscription);

@Resolver(() => AlertSubscription)
export class AlertSubscriptionsResolver {
  constructor(private readonly subscriptions: AlertSubscriptionsService) {}

  @ChecksEach('read', 'Bulletin', 'Members of an organisation preview what they may read')
  @Query(() => AlertFilterPreview, {
    description: 'Before subscribing: what this filter would have brought in the last 30 days, of what you may read.',
  })
  alertFilterPreview(
    @CurrentActor() actor: Actor,
    @Args() { filter, first }: AlertFilterPreviewArgs,
  ): Promise<AlertFilterPreview> {
    return this.subscriptions.preview(actor, filter ?? new AlertFilterInput(), first);
  }

  @Checks('create', 'AlertSubscription', 'Subscriptions belong to an organisation: log in for one')
  @Mutation(() => AlertSubscription)
  createAlertSubscription(
    @CurrentActor() actor: Actor,
    @Args() { input }: CreateAlertSubscriptionArgs,
  ): Promise<AlertSubscription> {
    return this.subscriptions.create(actor, input);
  }

  @ChecksEach('update', 'AlertSubscription', 'Users manage their own subscriptions')
  @Mutation(() => AlertSubscription)
  updateAlertSubscription(
    @CurrentActor() actor: Actor,
    @Args() { id, input }: UpdateAlertSubscriptionArgs,
  ): Promise<AlertSubscription> {
    return this.subscriptions.update(actor, id, input);
  }

  @ChecksEach('update', 'AlertSubscription', 'Users manage their own subscriptions')
  @Mutation(() => Boolean)
  deleteAlertSubscription(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<boolean> {
    return this.subscriptions.delete(actor, id);
  }

  @ChecksEach('read', 'AlertSubscription', 'Users see their own subscriptions, organisation admins their members')
  @Query(() => AlertSubscriptionConnection, {
    description: "Your subscriptions; organisation admins may name a member's userId.",
  })
  alertSubscriptions(
    @CurrentActor() actor: Actor,
    @Args() args: AlertSubscriptionsArgs,
  ): Promise<Connection<AlertSubscription>> {
    return this.subscriptions.list(actor, args);
  }

  @ResolveField(() => AlertFilter)
  filter(@Parent() s: AlertSubscription): AlertFilter {
    return alertFilterOf(s);
  }
}
