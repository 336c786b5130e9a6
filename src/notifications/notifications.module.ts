import { Global, Module } from '@nestjs/common';
import { BulletinEventsService } from './bulletin-events.service';
import { MailService } from './mail.service';
import { OutboxService } from './outbox.service';

@Global()
@Module({
  providers: [MailService, OutboxService, BulletinEventsService],
  exports: [MailService, OutboxService, BulletinEventsService],
})
export class NotificationsModule {}
