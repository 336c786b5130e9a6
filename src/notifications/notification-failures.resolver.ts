import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { Connection, PageArgs } from '../common/pagination';
import { NotificationFailure, NotificationFailureConnection } from './dto/notification-failure.types';
import { NotificationFailuresService } from './notification-failures.service';
import { EmailDeliveryService } from './email-delivery.service';
import { IdArgs } from '../common/dto/id.inputs';
import { Checks, ChecksEach } from '../common/checks';

@Resolver(() => NotificationFailure)
export class NotificationFailuresResolver {
  constructor(
    private readonly failures: NotificationFailuresService,
    private readonly email: EmailDeliveryService,
  ) {}

  @ChecksEach('read', 'NotificationDelivery', 'Only organisation admins retry failed notifications')
  @Mutation(() => Boolean, {
    description: 'Organisation admins: sends a failed e-mail to a member again (if they may still read the bulletin).',
  })
  async retryNotification(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<boolean> {
    await this.email.retry(actor, id);
    return true;
  }

  @Checks('read', 'NotificationDelivery', 'Only organisation admins see failed notifications')
  @Query(() => NotificationFailureConnection, {
    description: "Organisation admins: notifications to the organisation's members that could not be delivered.",
  })
  notificationFailures(@CurrentActor() actor: Actor, @Args() args: PageArgs): Promise<Connection<NotificationFailure>> {
    return this.failures.list(actor, args);
  }
}
