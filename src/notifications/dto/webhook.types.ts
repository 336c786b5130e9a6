import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { MACHINE_TLPS } from '../../auth/dto/machine-client.types';
import { Tlp } from '../../common/tlp';
import { AlertFilterInput } from '../../subscriptions/dto/alert-subscription.inputs';
import { Webhook } from '../webhook.entity';
import { WebhookDeliveryStatus } from '../webhook-delivery.entity';

@InputType()
export class WebhookInput {
  @Field()
  @IsString()
  @Length(1, 100)
  name: string;

  @Field({ description: 'An https:// URL the platform may reach (no private addresses unless configured)' })
  @IsString()
  @Length(9, 2000)
  url: string;

  @Field(() => Tlp, { description: 'The highest marking it is told about: CLEAR, GREEN, AMBER or AMBER_STRICT' })
  @IsEnum(Tlp)
  @IsIn(MACHINE_TLPS, { message: 'maxTlp must be CLEAR, GREEN, AMBER or AMBER_STRICT: RED names people' })
  maxTlp: Tlp;

  @Field(() => AlertFilterInput, { nullable: true, description: 'Omitted: every bulletin it may be told about' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AlertFilterInput)
  filter?: AlertFilterInput;
}

@ArgsType()
export class CreateWebhookArgs {
  @Field(() => WebhookInput)
  @ValidateNested()
  @Type(() => WebhookInput)
  input: WebhookInput;
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID)
  @IsUUID()
  webhookId: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'Omitted: every status' })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;

  @Field(() => Int, { defaultValue: 50, description: 'The most recent ones, at most 200' })
  @IsInt()
  @Min(1)
  @Max(200)
  first: number = 50;
}

@ObjectType({ description: 'A signing secret, shown this once: it is kept sealed and only used to sign' })
export class WebhookSecret {
  @Field(() => Webhook)
  webhook: Webhook;

  @Field({ description: 'Standard Webhooks format (whsec_...): verify `webhook-signature` with it' })
  secret: string;
}
