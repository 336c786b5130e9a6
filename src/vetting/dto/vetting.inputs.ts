import { ArgsType, Field, ID, InputType, Int, PickType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../common/pagination';
import { VettingReasonCode, VettingStatus } from '../vetting-enums';
import { VettingLevel } from '../../common/categories';

@InputType()
export class VettingSubjectKeyInput {
  @Field({ description: 'As printed; spaces, dashes, dots and slashes are ignored, case too' })
  @IsString()
  @Length(1, 40)
  documentNumber: string;

  @Field({ description: 'ISO 3166-1 alpha-2, e.g. NL' })
  @IsString()
  @Length(2, 3)
  issuingCountry: string;
}

@InputType()
export class RecordVettingInput extends VettingSubjectKeyInput {
  @Field()
  @IsString()
  @Length(1, 200)
  fullName: string;

  @Field({ description: 'YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be YYYY-MM-DD' })
  dateOfBirth: string;

  @Field(() => ID)
  @IsUUID()
  employerOrganisationId: string;

  @Field(() => VettingLevel)
  @IsEnum(VettingLevel)
  level: VettingLevel;

  @Field(() => VettingStatus, {
    defaultValue: VettingStatus.PENDING,
    description: 'PENDING, CLEARED, CONDITIONAL or REFUSED',
  })
  @IsIn([VettingStatus.PENDING, VettingStatus.CLEARED, VettingStatus.CONDITIONAL, VettingStatus.REFUSED], {
    message: 'A new record is PENDING, CLEARED, CONDITIONAL or REFUSED',
  })
  status: VettingStatus = VettingStatus.PENDING;

  @Field(() => VettingReasonCode, {
    nullable: true,
    description: 'Required for REFUSED; seen by the vetting authority only',
  })
  @IsOptional()
  @IsEnum(VettingReasonCode)
  reasonCode?: VettingReasonCode;

  @Field({ nullable: true, description: 'Defaults to now' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  validFrom?: Date;

  @Field({ nullable: true, description: 'Required for CLEARED and CONDITIONAL' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  validUntil?: Date;

  @Field({ nullable: true, description: 'Encrypted; seen by the vetting authority only' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

@ArgsType()
export class RecordVettingArgs {
  @Field(() => RecordVettingInput)
  @ValidateNested()
  @Type(() => RecordVettingInput)
  input: RecordVettingInput;
}

@ArgsType()
export class VettingRecordIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class ChangeVettingStatusArgs extends VettingRecordIdArgs {
  @Field(() => VettingStatus)
  @IsEnum(VettingStatus)
  status: VettingStatus;

  @Field(() => VettingReasonCode, { nullable: true, description: 'Required for REFUSED, REVOKED and SUSPENDED' })
  @IsOptional()
  @IsEnum(VettingReasonCode)
  reasonCode?: VettingReasonCode;

  @Field({ description: 'Why; encrypted, seen by the vetting authority only' })
  @IsString()
  @Length(1, 2000)
  note: string;
}

@ArgsType()
export class RecordEmploymentEndArgs extends VettingRecordIdArgs {
  @Field({ description: 'YYYY-MM-DD; the retention period counts from it as from an expiry' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endedOn must be a date (YYYY-MM-DD)' })
  endedOn: string;
}

@ArgsType()
export class SetVettingRetentionArgs {
  @Field(() => Int, {
    description: 'Days after a record ended (expiry, end of employment, refusal, revocation) until it is purged',
  })
  @IsInt()
  @Min(30)
  @Max(3650)
  days: number;
}

@ArgsType()
export class RenewVettingArgs extends VettingRecordIdArgs {
  @Field()
  @Type(() => Date)
  @IsDate()
  validUntil: Date;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

@InputType()
export class VettingRecordFilter {
  @Field(() => VettingStatus, { nullable: true, description: 'As readers see it: EXPIRED once validUntil has passed' })
  @IsOptional()
  @IsEnum(VettingStatus)
  status?: VettingStatus;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  employerOrganisationId?: string;

  @Field({ nullable: true, description: 'Still valid, but not after this' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiringBefore?: Date;
}

@ArgsType()
export class VettingRecordsArgs extends PageArgs {
  @Field(() => VettingRecordFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => VettingRecordFilter)
  filter?: VettingRecordFilter;
}

/** The same two fields as arguments of checkVettingStatus. */
@ArgsType()
export class CheckVettingStatusArgs extends PickType(
  VettingSubjectKeyInput,
  ['documentNumber', 'issuingCountry'] as const,
  ArgsType,
) {}
