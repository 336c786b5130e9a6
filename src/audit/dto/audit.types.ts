import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@ObjectType()
export class AuditEvent {
  @Field(() => String, { description: 'Position in the chain (1, 2, 3, ...)' })
  seq: string;

  @Field()
  at: Date;

  @Field(() => ID, { nullable: true })
  actorUserId: string | null;

  @Field(() => ID, { nullable: true })
  actorOrganisationId: string | null;

  @Field(() => ID, { nullable: true, description: "The organisation whose object was acted on, if not the actor's" })
  subjectOrganisationId: string | null;

  @Field()
  action: string;

  @Field()
  objectType: string;

  @Field(() => String, { nullable: true })
  objectId: string | null;

  @Field(() => GraphQLJSONObject)
  details: Record<string, unknown>;

  @Field()
  prevHash: string;

  @Field()
  hash: string;
}
