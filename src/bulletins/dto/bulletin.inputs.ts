import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../common/pagination';
import { LOCODE } from '../../organisations/organisation-type';
import { Tlp } from '../../sharing/tlp';
import { BulletinCategory, BulletinStatus, Certainty, Severity, Urgency } from '../bulletin-enums';
import { IndicatorType } from '../indicators';

@InputType()
export class IndicatorInput {
  @Field(() => IndicatorType)
  @IsEnum(IndicatorType)
  type: IndicatorType;

  @Field()
  @IsString()
  @Length(1, 500)
  value: string;
}

@InputType()
export class BulletinInput {
  @Field()
  @IsString()
  @Length(3, 200)
  title: string;

  @Field()
  @IsString()
  @Length(1, 2000)
  summary: string;

  @Field({ description: 'Markdown' })
  @IsString()
  @MaxLength(100_000)
  body: string;

  @Field(() => BulletinCategory)
  @IsEnum(BulletinCategory)
  category: BulletinCategory;

  @Field(() => Severity)
  @IsEnum(Severity)
  severity: Severity;

  @Field(() => Urgency)
  @IsEnum(Urgency)
  urgency: Urgency;

  @Field(() => Certainty)
  @IsEnum(Certainty)
  certainty: Certainty;

  @Field(() => [String], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(LOCODE, { each: true, message: 'each port must be a UN/LOCODE such as NLRTM' })
  ports: string[] = [];

  @Field(() => Tlp)
  @IsEnum(Tlp)
  tlp: Tlp;

  @Field(() => [ID], { defaultValue: [], description: 'Named recipient organisations (AMBER, AMBER_STRICT)' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  recipientOrganisationIds: string[] = [];

  @Field(() => [ID], { defaultValue: [], description: 'Named recipient users (RED only, required there)' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  recipientUserIds: string[] = [];

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  validUntil?: Date | null;

  @Field(() => [IndicatorInput], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => IndicatorInput)
  indicators: IndicatorInput[] = [];
}

@ArgsType()
export class CreateBulletinArgs {
  @Field(() => BulletinInput)
  @ValidateNested()
  @Type(() => BulletinInput)
  input: BulletinInput;
}

@ArgsType()
export class BulletinIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class UpdateDraftArgs extends CreateBulletinArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class ReviseBulletinArgs extends UpdateDraftArgs {
  @Field()
  @IsString()
  @Length(3, 2000)
  changeNote: string;
}

@ArgsType()
export class RetractBulletinArgs extends BulletinIdArgs {
  @Field()
  @IsString()
  @Length(3, 2000)
  reason: string;
}

@ArgsType()
export class AcknowledgeBulletinArgs extends BulletinIdArgs {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

@InputType()
export class BulletinFilter {
  @Field(() => [BulletinCategory], { nullable: true })
  @IsOptional()
  @IsEnum(BulletinCategory, { each: true })
  categories?: BulletinCategory[];

  @Field(() => Severity, { nullable: true })
  @IsOptional()
  @IsEnum(Severity)
  minSeverity?: Severity;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @Matches(LOCODE, { each: true, message: 'each port must be a UN/LOCODE such as NLRTM' })
  ports?: string[];

  @Field(() => [Tlp], { nullable: true })
  @IsOptional()
  @IsEnum(Tlp, { each: true })
  tlp?: Tlp[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  authorOrganisationId?: string;

  @Field(() => BulletinStatus, { nullable: true })
  @IsOptional()
  @IsEnum(BulletinStatus)
  status?: BulletinStatus;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  publishedAfter?: Date;

  @Field({ nullable: true, description: 'Full-text search over title, summary and body, and exact indicator values' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  text?: string;
}

@ArgsType()
export class BulletinsArgs extends PageArgs {
  @Field(() => BulletinFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BulletinFilter)
  filter?: BulletinFilter;
}

@ArgsType()
export class SearchIndicatorsArgs {
  @Field()
  @IsString()
  @Length(2, 500)
  value: string;
}

@ArgsType()
export class RecipientDirectoryArgs {
  @Field(() => ID)
  @IsUUID()
  organisationId: string;
}
