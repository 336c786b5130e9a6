import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType, PageArgs } from '../../common/pagination';
import { DataSubjectRequestKind } from '../data-subject-request.entity';

/** What LED art. 25 names: every such operation of a law enforcement organisation is logged. */
export enum ProcessingOperation {
  COLLECTION = 'COLLECTION',
  ALTERATION = 'ALTERATION',
  CONSULTATION = 'CONSULTATION',
  DISCLOSURE = 'DISCLOSURE',
  COMBINATION = 'COMBINATION',
  ERASURE = 'ERASURE',
}

registerEnumType(ProcessingOperation, { name: 'ProcessingOperation' });
registerEnumType(DataSubjectRequestKind, { name: 'DataSubjectRequestKind' });

@InputType()
export class ProcessingLogFilter {
  @Field(() => ProcessingOperation, { nullable: true })
  @IsOptional()
  @IsEnum(ProcessingOperation)
  operation?: ProcessingOperation;

  @Field({ nullable: true })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Exclusive' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class ProcessingLogArgs extends PageArgs {
  @Field(() => ProcessingLogFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProcessingLogFilter)
  filter?: ProcessingLogFilter;
}

@ObjectType({ description: 'One operation on bulletins, vetting records or cases, as LED art. 25 asks it logged' })
export class ProcessingLogEntry {
  @Field(() => String, { description: 'Position in the audit trail' })
  seq: string;

  @Field()
  at: Date;

  @Field(() => ProcessingOperation)
  operation: ProcessingOperation;

  @Field({ description: 'What the platform did, as the audit trail names it' })
  action: string;

  @Field()
  objectType: string;

  @Field(() => String, { nullable: true })
  objectId: string | null;

  @Field(() => ID, { nullable: true, description: 'Who: null for what the platform did by itself (a purge)' })
  actorUserId: string | null;

  @Field(() => String, { nullable: true })
  actorName: string | null;

  @Field(() => String, { nullable: true, description: 'Why, as the person said before opening' })
  justification: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'To whom, for a disclosure of a bulletin: its marking and the organisations it names',
  })
  recipients: string | null;

  @Field(() => GraphQLJSONObject)
  details: Record<string, unknown>;
}

export const ProcessingLogConnection = ConnectionType(ProcessingLogEntry);

@ObjectType()
export class DataSubjectRequestView {
  @Field(() => ID)
  id: string;

  @Field(() => DataSubjectRequestKind)
  kind: DataSubjectRequestKind;

  @Field(() => ID, { nullable: true })
  subjectUserId: string | null;

  @Field(() => String, { nullable: true, description: "The person's name now (a pseudonym once erased)" })
  subjectName: string | null;

  @Field(() => ID, { nullable: true })
  handledBy: string | null;

  @Field()
  receivedAt: Date;

  @Field(() => GraphQLJSONObject)
  outcome: Record<string, unknown>;
}

export const DataSubjectRequestConnection = ConnectionType(DataSubjectRequestView, 'DataSubjectRequest');

@ArgsType()
export class EraseMemberArgs {
  @Field(() => ID)
  @IsUUID()
  userId: string;
}

export enum ErasureAction {
  DELETED = 'DELETED',
  PSEUDONYMISED = 'PSEUDONYMISED',
  /** The account stays: the person is a member elsewhere or a platform administrator. */
  KEPT = 'KEPT',
  /** Records others rely on stay, naming the person by the pseudonym only (GDPR art. 17(3)(b), (e)). */
  KEPT_PSEUDONYMISED = 'KEPT_PSEUDONYMISED',
}

registerEnumType(ErasureAction, { name: 'ErasureAction' });

@ObjectType({ description: 'What an erasure did with one category of what the platform held' })
export class ErasureStep {
  @Field({
    description:
      'membership, account, sessions, passkeys, recoveryCodes, identityLinks, caseKeys, caseHandling, alertSubscriptions, savedViews, bulletinsWritten, auditEvents, vettingAndCases, deliveryRecords',
  })
  category: string;

  @Field(() => ErasureAction)
  action: ErasureAction;

  @Field(() => Int, { nullable: true, description: 'How many rows, for what was deleted' })
  count: number | null;
}

@ObjectType()
export class ErasureOutcome {
  @Field({ description: 'The account was pseudonymised (else the person is a member elsewhere, and it stays)' })
  pseudonymised: boolean;

  @Field(() => String, { nullable: true, description: 'How retained records name the person from now on' })
  label: string | null;

  @Field(() => [ErasureStep])
  steps: ErasureStep[];
}
