import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
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

/** The last verification of the audit hash chain run from the console, and what it found. */
@ObjectType()
export class AuditChainVerification {
  @Field()
  verifiedAt: Date;

  @Field(() => ID, { nullable: true })
  verifiedBy: string | null;

  @Field({ description: 'Every link held' })
  ok: boolean;

  @Field(() => Float, { description: 'Events verified (before the broken link, if one was found)' })
  events: number;

  @Field(() => String, { nullable: true, description: 'The first event whose link does not hold' })
  failedSeq: string | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => Int)
  milliseconds: number;
}
