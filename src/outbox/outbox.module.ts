import { Global, Module } from '@nestjs/common';
import { MailService } from './mail.service';
import { OutboxService } from './outbox.service';

/** The durable outbox (pg-boss queues in Postgres) and the mail transport every domain sends through. */
@Global()
@Module({
  providers: [MailService, OutboxService],
  exports: [MailService, OutboxService],
})
export class OutboxModule {}
