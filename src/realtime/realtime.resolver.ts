import { ArgsType, Field, ID, ObjectType, Resolver, Subscription, Args } from '@nestjs/graphql';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinEventKind } from '../notifications/bulletin-events.service';
import { RealtimeService } from './realtime.service';
import { ChecksEach } from '../sharing/checks';

@ObjectType()
export class BulletinEvent {
  @Field(() => BulletinEventKind)
  kind: BulletinEventKind;

  @Field(() => Bulletin)
  bulletin: Bulletin;

  @Field(() => ID, { description: 'Pass as `after` when subscribing again, to receive what was missed meanwhile' })
  cursor: string;
}

@ArgsType()
class BulletinPublishedArgs {
  @Field(() => ID, { nullable: true, description: 'Apply the filter of one of your REALTIME alert subscriptions' })
  @IsOptional()
  @IsUUID()
  subscriptionId?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The cursor of the last event received: events since then come first (kept 7 days)',
  })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be the cursor of an event' })
  after?: string;
}

@Resolver()
export class RealtimeResolver {
  constructor(private readonly realtime: RealtimeService) {}

  @ChecksEach('read', 'Bulletin', 'Members of an organisation receive the bulletins they may read')
  @Subscription(() => BulletinEvent, {
    description:
      'Bulletins you may see as they are published, revised or retracted (graphql-ws; access token in connectionParams.authorization).',
  })
  async bulletinPublished(@CurrentActor() actor: Actor, @Args() { subscriptionId, after }: BulletinPublishedArgs) {
    const filter = subscriptionId ? await this.realtime.subscriptionFor(actor, subscriptionId) : null;
    return this.realtime.stream(actor, filter, after ?? null);
  }
}
