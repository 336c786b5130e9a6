import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional, IsUUID, Matches } from 'class-validator';

@ArgsType()
export class BulletinPublishedArgs {
  @Field(() => ID, { nullable: true, description: 'Apply the filter of one of your REALTIME alert subscriptions' })
  @IsOptional()
  @IsUUID()
  subscriptionId?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The cursor of the last event received: events since then come first (kept 7 days)',
  })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be the cursor of an event' })
  after?: string;
}
