import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BulletinEventKind } from '../bulletins/bulletin-events.service';
import { PersonalData, RETENTION } from '../common/personal-data';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  SKIPPED = 'SKIPPED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING (first try or retrying), SENT, SKIPPED (no longer readable), FAILED (retries exhausted)',
});

/** One bulletin event for one webhook; its id is the `webhook-id` header, the same on every retry. */
@ObjectType()
@PersonalData({
  purpose: "Deliveries of bulletins to an organisation's webhooks",
  recipients: "The organisation's admins",
  retention: RETENTION.delivery,
  personal: {},
  other: [
    'id',
    'webhook_id',
    'organisation_id',
    'bulletin_id',
    'version',
    'kind',
    'status',
    'attempts',
    'last_status_code',
    'last_error',
    'created_at',
    'last_attempt_at',
    'sent_at',
    'leased_until',
  ],
})
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Field(() => ID)
  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Field(() => Int)
  @Column({ type: 'int' })
  version: number;

  @Field(() => BulletinEventKind)
  @Column({ type: 'text' })
  kind: BulletinEventKind;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'text' })
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column({ type: 'int' })
  attempts: number;

  @Field(() => Int, { nullable: true, description: "The endpoint's HTTP status on the last attempt" })
  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Field()
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** While an attempt waits on the endpoint: one per webhook, a share per organisation. */
  @Column({ name: 'leased_until', type: 'timestamptz', nullable: true })
  leasedUntil: Date | null;
}
