import { Module } from '@nestjs/common';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DeliveryRepository } from './delivery.repository';
import { DigestService } from './digest.service';
import { EmailDeliveryService } from './email-delivery.service';
import { NotificationFailuresResolver } from './notification-failures.resolver';
import { NotificationFailuresService } from './notification-failures.service';
import { ResponseRemindersRepository } from './response-reminders.repository';
import { ResponseRemindersService } from './response-reminders.service';
import { UnsubscribeController } from './unsubscribe.controller';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';
import { DigestItem } from './digest-item.entity';
import { NotificationDelivery } from './notification-delivery.entity';
import { EmailSendingBudget } from './email-sending-budget.entity';
import { Webhook } from './webhook.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

export const NOTIFICATIONS_ENTITIES = [DigestItem, EmailSendingBudget, NotificationDelivery, Webhook, WebhookDelivery];

/** Everything that tells people and systems: e-mail (alerts, digests, retries, response reminders), unsubscribing, webhooks. */
@Module({
  imports: [BulletinsModule, OrganisationsModule, SubscriptionsModule],
  controllers: [UnsubscribeController],
  providers: [
    DeliveryRepository,
    EmailDeliveryService,
    DigestService,
    NotificationFailuresService,
    NotificationFailuresResolver,
    WebhooksRepository,
    WebhookDeliveryService,
    WebhooksService,
    WebhooksResolver,
    ResponseRemindersRepository,
    ResponseRemindersService,
  ],
})
export class NotificationsModule {}
