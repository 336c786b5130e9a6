import { IntakePurpose } from '../intake-guard.service';
import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
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
import { PageArgs } from '../../common/pagination';
import { CaseStatus, MAX_TEXT, ReportCategory } from '../case-enums';

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

  @Field({
    defaultValue: false,
    description:
      "This reply tells the reporter what was done or is planned (the Directive's feedback, due within 3 months); the first reply of all acknowledges receipt",
  })
  @IsBoolean()
  feedback: boolean;
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

@ArgsType()
export class DraftFromCaseArgs {
  @Field(() => ID)
  @IsUUID()
  caseId: string;
}
