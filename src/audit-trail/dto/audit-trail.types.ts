import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@ObjectType()
export class AuditEvent {
  @Field(() => String, { description: 'Position in the whole trail (ascending, with gaps)' })
  seq: string;

  @Field({
    description:
      "The chain holding it: its organisation's id, `platform`, or `legacy` (events before per-organisation chains)",
  })
  chain: string;

  @Field(() => String, { description: 'Position in its chain (1, 2, 3, ...)' })
  chainSeq: string;

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

/** The last verification of the audit hash chains and checkpoints run from the console, and what it found. */
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

  @Field(() => Int, { nullable: true, description: 'Chains walked (null for runs before per-organisation chains)' })
  chains: number | null;

  @Field(() => Int, { nullable: true, description: 'Signed checkpoints verified' })
  checkpoints: number | null;

  @Field(() => String, { nullable: true, description: 'The first event whose link does not hold' })
  failedSeq: string | null;

  @Field(() => String, { nullable: true, description: 'The first checkpoint that does not hold' })
  failedCheckpoint: string | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => Int)
  milliseconds: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Events pruned after their retention, behind signed checkpoints (null for runs before pruning)',
  })
  prunedEvents: number | null;

  @Field(() => Date, { nullable: true, description: 'When events were last pruned' })
  lastPrunedAt: Date | null;
}
