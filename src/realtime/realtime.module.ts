import { Module } from '@nestjs/common';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { RealtimeResolver } from './realtime.resolver';
import { RealtimeService } from './realtime.service';

/** GraphQL subscriptions over graphql-ws: bulletins as they are published, to whoever may read them. */
@Module({
  imports: [BulletinsModule, SubscriptionsModule],
  providers: [RealtimeService, RealtimeResolver],
})
export class RealtimeModule {}
