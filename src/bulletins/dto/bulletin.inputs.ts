import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../common/pagination';
import { LOCODE } from '../../common/organisation-type';
import { Tlp } from '../../common/tlp';
import {
  BulletinOrder,
  BulletinStatus,
  Certainty,
  InformationCredibility,
  ResponseAction,
  Severity,
  SightingKind,
  SourceReliability,
  Urgency,
} from '../bulletin-enums';
import { BulletinCategory } from '../../common/categories';
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
  @IsUUID(undefined, { each: true })
  recipientOrganisationIds: string[] = [];

  @Field(() => [ID], { defaultValue: [], description: 'Named recipient users (RED only, required there)' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID(undefined, { each: true })
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

  @Field(() => SourceReliability, { defaultValue: SourceReliability.F })
  @IsEnum(SourceReliability)
  sourceReliability: SourceReliability = SourceReliability.F;

  @Field(() => InformationCredibility, { defaultValue: InformationCredibility.CANNOT_BE_JUDGED })
  @IsEnum(InformationCredibility)
  informationCredibility: InformationCredibility = InformationCredibility.CANNOT_BE_JUDGED;

  @Field({
    defaultValue: false,
    description: 'Let recipient organisations see each other (naming them can disclose an investigation)',
  })
  @IsBoolean()
  showRecipients: boolean = false;

  @Field(() => Int, {
    nullable: true,
    description:
      'Ask recipient organisations to respond within this many minutes of publication (15 to 43200, 30 days). Set once: a revision keeps the deadline.',
  })
  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(43_200)
  respondWithinMinutes?: number | null;
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
export class OpenBulletinArgs extends BulletinIdArgs {
  @Field(() => String, {
    nullable: true,
    description:
      'Why the bulletin is opened: required for AMBER+STRICT and RED when the organisation asks for it; kept in its processing log',
  })
  @IsOptional()
  @IsString()
  @Length(5, 1000)
  justification?: string;
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

  @Field(() => [SourceReliability], { nullable: true })
  @IsOptional()
  @IsEnum(SourceReliability, { each: true })
  sourceReliability?: SourceReliability[];

  @Field(() => [InformationCredibility], { nullable: true })
  @IsOptional()
  @IsEnum(InformationCredibility, { each: true })
  informationCredibility?: InformationCredibility[];

  @Field({ nullable: true, description: "Only bulletins still awaiting your organisation's response" })
  @IsOptional()
  @IsBoolean()
  awaitingResponse?: boolean;

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

  @Field(() => BulletinOrder, { defaultValue: BulletinOrder.NEWEST })
  @IsOptional()
  @IsEnum(BulletinOrder)
  order?: BulletinOrder;
}

/** Up to 50 bulletins at once: the feed's selection, each id kept in the audit event. */
@ArgsType()
export class BulletinIdsArgs {
  @Field(() => [ID])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID(undefined, { each: true })
  ids: string[];
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

@ArgsType()
export class RespondToBulletinArgs extends AcknowledgeBulletinArgs {
  @Field(() => ResponseAction)
  @IsEnum(ResponseAction)
  action: ResponseAction;
}

@InputType()
export class SightingInput {
  @Field(() => ID)
  @IsUUID()
  bulletinId: string;

  @Field(() => IndicatorType)
  @IsEnum(IndicatorType)
  indicatorType: IndicatorType;

  @Field({ description: 'The value as the bulletin lists it (normalised like any indicator)' })
  @IsString()
  @Length(1, 500)
  value: string;

  @Field(() => SightingKind)
  @IsEnum(SightingKind)
  kind: SightingKind;

  @Field({ description: 'Where: a UN/LOCODE such as NLRTM' })
  @Matches(LOCODE, { message: 'port must be a UN/LOCODE such as NLRTM' })
  port: string;

  @Field({ description: 'When it was seen (not in the future)' })
  @IsDate()
  seenAt: Date;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

@ArgsType()
export class RecordSightingArgs {
  @Field(() => SightingInput)
  @ValidateNested()
  @Type(() => SightingInput)
  input: SightingInput;
}
