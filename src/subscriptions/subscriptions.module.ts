import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { AlertSubscriptionsResolver } from './alert-subscriptions.resolver';
import { AlertSubscriptionsService } from './alert-subscriptions.service';
import { RealtimeContextInterceptor } from './realtime-context.interceptor';
import { RealtimeResolver } from './realtime.resolver';
import { RealtimeService } from './realtime.service';
import { DigestService } from './digest.service';
import { EmailDeliveryService } from './email-delivery.service';
import { NotificationFailuresResolver } from './notification-failures.resolver';
import { NotificationFailuresService } from './notification-failures.service';
import { UnsubscribeController } from './unsubscribe.controller';

@Module({
  imports: [BulletinsModule],
  controllers: [UnsubscribeController],
  providers: [
    AlertSubscriptionsService,
    AlertSubscriptionsResolver,
    RealtimeService,
    RealtimeResolver,
    EmailDeliveryService,
    DigestService,
    NotificationFailuresService,
    NotificationFailuresResolver,
    { provide: APP_INTERCEPTOR, useClass: RealtimeContextInterceptor },
  ],
})
export class SubscriptionsModule {}
