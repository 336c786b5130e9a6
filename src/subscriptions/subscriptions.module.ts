import { Module } from '@nestjs/common';
import { AlertSubscriptionsResolver } from './alert-subscriptions.resolver';
import { AlertSubscriptionsService } from './alert-subscriptions.service';

@Module({ providers: [AlertSubscriptionsService, AlertSubscriptionsResolver] })
export class SubscriptionsModule {}
