import { ArgsType, Field, ID, ObjectType, Resolver, Subscription, Args } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinEventKind } from '../notifications/bulletin-events.service';
import { RealtimeService } from './realtime.service';

@ObjectType()
export class BulletinEvent {
  @Field(() => BulletinEventKind)
  kind: BulletinEventKind;

  @Field(() => Bulletin)
  bulletin: Bulletin;
}

@ArgsType()
class BulletinPublishedArgs {
  @Field(() => ID, { nullable: true, description: 'Apply the filter of one of your REALTIME alert subscriptions' })
  @IsOptional()
  @IsUUID()
  subscriptionId?: string;
}

@Resolver()
export class RealtimeResolver {
  constructor(private readonly realtime: RealtimeService) {}

  @Subscription(() => BulletinEvent, {
    description: 'Bulletins you may see as they are published, revised or retracted (graphql-ws; access token in connectionParams.authorization).',
  })
  async bulletinPublished(@CurrentActor() actor: Actor, @Args() { subscriptionId }: BulletinPublishedArgs) {
    const filter = subscriptionId ? await this.realtime.subscriptionFor(actor, subscriptionId) : null;
    return this.realtime.stream(actor, filter);
  }
}
