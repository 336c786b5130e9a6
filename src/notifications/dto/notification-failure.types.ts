import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../common/pagination';

/** An e-mail to a member of the organisation that failed after its last retry. */
@ObjectType()
export class NotificationFailure {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  bulletinId: string;

  @Field(() => Int)
  version: number;

  @Field(() => ID)
  userId: string;

  @Field()
  channel: string;

  @Field(() => Int)
  attempts: number;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field()
  createdAt: Date;
}

export const NotificationFailureConnection = ConnectionType(NotificationFailure);
