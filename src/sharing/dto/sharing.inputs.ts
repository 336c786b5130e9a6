import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../common/pagination';
import { LOCODE, OrganisationType } from '../../common/organisation-type';
import { SharingSubject, Tlp } from '../../common/tlp';

@InputType()
export class SharingAudienceInput {
  @Field(() => [ID], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  organisationIds: string[] = [];

  @Field(() => [OrganisationType], { defaultValue: [] })
  @IsArray()
  @IsEnum(OrganisationType, { each: true })
  organisationTypes: OrganisationType[] = [];

  @Field(() => [String], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(LOCODE, { each: true, message: 'each port must be a UN/LOCODE such as NLRTM' })
  ports: string[] = [];
}

@InputType()
export class SharingRuleInput {
  @Field(() => SharingSubject)
  @IsEnum(SharingSubject)
  subject: SharingSubject;

  @Field(() => [String], { defaultValue: [], description: 'Categories shared; empty means all' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  categories: string[] = [];

  @Field(() => SharingAudienceInput)
  @ValidateNested()
  @Type(() => SharingAudienceInput)
  audience: SharingAudienceInput;

  @Field(() => Tlp, {
    description: 'Highest marking shared: CLEAR, GREEN or AMBER (rules never widen AMBER_STRICT or RED)',
  })
  @IsEnum(Tlp)
  maxTlp: Tlp;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  validUntil?: Date | null;

  @Field({ defaultValue: false, description: 'Platform admins: an alliance-wide default rule for every organisation' })
  @IsBoolean()
  allianceWide: boolean = false;
}

@ArgsType()
export class CreateSharingRuleArgs {
  @Field(() => SharingRuleInput)
  @ValidateNested()
  @Type(() => SharingRuleInput)
  input: SharingRuleInput;
}

@ArgsType()
export class UpdateSharingRuleArgs extends CreateSharingRuleArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class SharingRulesArgs extends PageArgs {}
