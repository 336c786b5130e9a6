import { Module } from '@nestjs/common';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { AlertSubscriptionsResolver } from './alert-subscriptions.resolver';
import { AlertSubscriptionsService } from './alert-subscriptions.service';
import { AlertSubscription } from './alert-subscription.entity';

export const SUBSCRIPTIONS_ENTITIES = [AlertSubscription];

/** Alert subscriptions: what each user asked to be told about, by which channel (delivery is notifications' and realtime's). */
@Module({
  imports: [BulletinsModule],
  providers: [AlertSubscriptionsService, AlertSubscriptionsResolver],
  exports: [AlertSubscriptionsService],
})
export class SubscriptionsModule {}
