import { Global, Module } from '@nestjs/common';
import { BulletinEventsService } from './bulletin-events.service';
import { MailService } from './mail.service';

@Global()
@Module({ providers: [MailService, BulletinEventsService], exports: [MailService, BulletinEventsService] })
export class NotificationsModule {}
