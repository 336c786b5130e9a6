import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { RealtimeContextInterceptor } from './realtime-context.interceptor';
import { RealtimeResolver } from './realtime.resolver';
import { RealtimeService } from './realtime.service';

/** GraphQL subscriptions over graphql-ws: bulletins as they are published, to whoever may read them. */
@Module({
  imports: [BulletinsModule, SubscriptionsModule],
  providers: [RealtimeService, RealtimeResolver, { provide: APP_INTERCEPTOR, useClass: RealtimeContextInterceptor }],
})
export class RealtimeModule {}
