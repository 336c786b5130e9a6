import { IntakePurpose } from '../intake-guard.service';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionType, PageArgs } from '../../common/pagination';
import { CaseStatus, MAX_TEXT, MessageAuthor, ReportCategory } from '../case-enums';

@ObjectType()
export class ReportChallenge {
  @Field({
    description:
      'Spend it, within the hour, with submitReport or (purpose FOLLOW_UP) reportByReceipt / replyAsReporter',
  })
  challenge: string;

  @Field(() => Int, {
    description: 'Find a proof such that SHA-256("<challenge>:<proof>") starts with this many zero bits',
  })
  difficulty: number;
}

@InputType()
export class SubmitReportInput {
  @Field(() => ID)
  @IsUUID()
  recipientOrganisationId: string;

  @Field(() => ReportCategory)
  @IsEnum(ReportCategory)
  category: ReportCategory;

  @Field()
  @IsString()
  @Length(1, MAX_TEXT)
  text: string;

  @Field({ description: 'From reportChallenge' })
  @IsString()
  @MaxLength(200)
  challenge: string;

  @Field()
  @IsString()
  @MaxLength(40)
  proof: string;
}

@ArgsType()
export class SubmitReportArgs {
  @Field(() => SubmitReportInput)
  @ValidateNested()
  @Type(() => SubmitReportInput)
  input: SubmitReportInput;
}

@ObjectType()
export class ReportReceipt {
  @Field({ description: 'Shown once: the only way back to the report. Keep it safe and private.' })
  receipt: string;
}

@ArgsType()
export class ReceiptArgs {
  @Field()
  @IsString()
  @MaxLength(100)
  receipt: string;

  @Field({ description: 'From reportChallenge(purpose: FOLLOW_UP)' })
  @IsString()
  @MaxLength(200)
  challenge: string;

  @Field()
  @IsString()
  @MaxLength(40)
  proof: string;
}

@ArgsType()
export class ReportChallengeArgs {
  @Field(() => IntakePurpose, { defaultValue: IntakePurpose.SUBMIT })
  @IsEnum(IntakePurpose)
  purpose: IntakePurpose;
}

@ArgsType()
export class ReporterReplyArgs extends ReceiptArgs {
  @Field()
  @IsString()
  @Length(1, MAX_TEXT)
  body: string;
}

@ObjectType()
export class CaseMessageView {
  @Field(() => MessageAuthor)
  from: MessageAuthor;

  @Field()
  body: string;

  @Field({ description: 'The day only (YYYY-MM-DD): no finer time is kept' })
  at: string;
}

@ObjectType()
export class CaseAttachmentView {
  @Field(() => ID)
  id: string;

  @Field()
  filename: string;

  @Field()
  contentType: string;

  @Field(() => Int)
  size: number;

  @Field()
  addedOn: string;
}

/** What the reporter sees of their case: no handler names, no internal notes. */
@ObjectType()
export class ReporterView {
  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => ReportCategory)
  category: ReportCategory;

  @Field()
  receivedOn: string;

  @Field()
  text: string;

  @Field(() => [CaseMessageView])
  messages: CaseMessageView[];

  @Field(() => [CaseAttachmentView])
  attachments: CaseAttachmentView[];
}

@ObjectType()
export class WhistleblowerCaseSummary {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organisationId: string;

  @Field(() => ReportCategory)
  category: ReportCategory;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field()
  receivedOn: string;

  @Field()
  updatedOn: string;
}

export const WhistleblowerCaseConnection = ConnectionType(WhistleblowerCaseSummary, 'WhistleblowerCase');

@ObjectType()
export class WhistleblowerCase extends WhistleblowerCaseSummary {
  @Field()
  text: string;

  @Field(() => [CaseMessageView], { description: "Including handlers' internal notes (from: NOTE)" })
  messages: CaseMessageView[];

  @Field(() => [CaseAttachmentView], {
    description: 'Download: GET /cases/{caseId}/attachments/{id} with the access token',
  })
  attachments: CaseAttachmentView[];
}

@ObjectType()
export class WhistleblowerIntake {
  @Field()
  accepting: boolean;

  @Field(() => Int)
  retentionDays: number;

  @Field(() => String, {
    nullable: true,
    description: "Only in the answer that created the organisation's case key: write it down, it is never shown again",
  })
  recoveryKey: string | null;

  @Field(() => [ID])
  handlerUserIds: string[];
}

@ArgsType()
export class AcceptReportsArgs {
  @Field()
  @IsBoolean()
  accept: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Days a closed case is kept before it is purged (30 to 3650; default 365)',
  })
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(3650)
  retentionDays?: number;
}

@ArgsType()
export class SetCaseHandlerArgs {
  @Field(() => ID)
  @IsUUID()
  userId: string;

  @Field()
  @IsBoolean()
  handler: boolean;

  @Field({ nullable: true, description: 'Needed when the admin is not a case handler with an unlocked session' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  recoveryKey?: string;
}

@InputType()
export class CaseFilter {
  @Field(() => CaseStatus, { nullable: true })
  @IsOptional()
  @IsEnum(CaseStatus)
  status?: CaseStatus;
}

@ArgsType()
export class WhistleblowerCasesArgs extends PageArgs {
  @Field(() => CaseFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CaseFilter)
  filter?: CaseFilter;
}

@ArgsType()
export class CaseIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class ReplyToReporterArgs {
  @Field(() => ID)
  @IsUUID()
  caseId: string;

  @Field()
  @IsString()
  @Length(1, MAX_TEXT)
  body: string;
}

@ArgsType()
export class SetCaseStatusArgs {
  @Field(() => ID)
  @IsUUID()
  caseId: string;

  @Field(() => CaseStatus)
  @IsEnum(CaseStatus)
  status: CaseStatus;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

@ArgsType()
export class ReferCaseArgs {
  @Field(() => ID)
  @IsUUID()
  caseId: string;

  @Field(() => ID)
  @IsUUID()
  organisationId: string;
}
