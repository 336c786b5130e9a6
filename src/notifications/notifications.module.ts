import { Global, Module } from '@nestjs/common';
import { BulletinEventsService } from './bulletin-events.service';
import { DeliveryRepository } from './delivery.repository';
import { DigestService } from './digest.service';
import { EmailDeliveryService } from './email-delivery.service';
import { MailService } from './mail.service';
import { NotificationFailuresResolver } from './notification-failures.resolver';
import { NotificationFailuresService } from './notification-failures.service';
import { OutboxService } from './outbox.service';
import { UnsubscribeController } from './unsubscribe.controller';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';

/** Everything that tells people and systems: the outbox, bulletin events, e-mail (alerts, digests, retries), unsubscribing, webhooks. */
@Global()
@Module({
  controllers: [UnsubscribeController],
  providers: [
    MailService,
    OutboxService,
    DeliveryRepository,
    BulletinEventsService,
    EmailDeliveryService,
    DigestService,
    NotificationFailuresService,
    NotificationFailuresResolver,
    WebhooksRepository,
    WebhookDeliveryService,
    WebhooksService,
    WebhooksResolver,
  ],
  exports: [MailService, OutboxService, BulletinEventsService],
})
export class NotificationsModule {}
