import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { Connection, PageArgs } from '../common/pagination';
import { NotificationFailure, NotificationFailureConnection } from './dto/notification-failure.types';
import { NotificationFailuresService } from './notification-failures.service';
import { Checks } from '../sharing/checks';

@Resolver(() => NotificationFailure)
export class NotificationFailuresResolver {
  constructor(private readonly failures: NotificationFailuresService) {}

  @Checks('read', 'NotificationDelivery', 'Only organisation admins see failed notifications')
  @Query(() => NotificationFailureConnection, {
    description: "Organisation admins: notifications to the organisation's members that could not be delivered.",
  })
  notificationFailures(@CurrentActor() actor: Actor, @Args() args: PageArgs): Promise<Connection<NotificationFailure>> {
    return this.failures.list(actor, args);
  }
}
