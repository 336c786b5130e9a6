import { Args, Resolver, Subscription } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { BulletinPublishedArgs } from './dto/realtime.inputs';
import { BulletinEvent } from './dto/realtime.types';
import { RealtimeService } from './realtime.service';
import { ChecksEach } from '../common/checks';

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
