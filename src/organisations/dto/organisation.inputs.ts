import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { PageArgs } from '../../common/pagination';
import { IdArgs } from '../../common/dto/id.inputs';
import { LOCODE, MemberRole, OrganisationType } from '../../common/organisation-type';

@InputType()
export class CreateOrganisationInput {
  @Field()
  @IsString()
  @Length(2, 200)
  name: string;

  @Field(() => OrganisationType)
  @IsEnum(OrganisationType)
  type: OrganisationType;

  @Field(() => [String], { description: 'UN/LOCODEs, e.g. NLRTM' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(LOCODE, { each: true, message: 'each port must be a UN/LOCODE such as NLRTM' })
  ports: string[];
}

@InputType()
export class OrganisationProfileInput {
  @Field(() => [String], { description: 'UN/LOCODEs, e.g. NLRTM' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(LOCODE, { each: true, message: 'each port must be a UN/LOCODE such as NLRTM' })
  ports: string[];

  @Field(() => String, { nullable: true, description: 'A role or a person, e.g. "Duty officer, port security"' })
  @IsOptional()
  @IsString()
  @Length(2, 200)
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string | null;

  @Field(() => String, { nullable: true, description: 'International format, e.g. +31 10 252 1010' })
  @IsOptional()
  @Matches(/^\+[0-9][0-9 ()-]{5,24}$/, {
    message: 'contactPhone must be an international number such as +31 10 252 1010',
  })
  contactPhone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Ask members for a justification before they open AMBER+STRICT or RED (unchanged when omitted)',
  })
  @IsOptional()
  @IsBoolean()
  requiresJustification?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Days bulletins are kept after they expired or were retracted, within the platform's bounds; null: the platform's default; omitted: unchanged",
  })
  @IsOptional()
  @IsInt()
  bulletinRetentionDays?: number | null;
}

@ArgsType()
export class UpdateOrganisationProfileArgs {
  @Field(() => OrganisationProfileInput)
  @ValidateNested()
  @Type(() => OrganisationProfileInput)
  input: OrganisationProfileInput;
}

@ArgsType()
export class CreateOrganisationArgs {
  @Field(() => CreateOrganisationInput)
  @ValidateNested()
  @Type(() => CreateOrganisationInput)
  input: CreateOrganisationInput;
}

@ArgsType()
export class SuspendOrganisationArgs extends IdArgs {
  @Field()
  @IsString()
  @Length(3, 2000)
  reason: string;
}

@InputType()
export class OrganisationFilter {
  @Field(() => OrganisationType, { nullable: true })
  @IsOptional()
  @IsEnum(OrganisationType)
  type?: OrganisationType;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(LOCODE, { message: 'port must be a UN/LOCODE such as NLRTM' })
  port?: string;
}

@ArgsType()
export class OrganisationsArgs extends PageArgs {
  @Field(() => OrganisationFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrganisationFilter)
  filter?: OrganisationFilter;
}

@ArgsType()
export class InviteMemberArgs {
  @Field()
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email: string;

  @Field(() => MemberRole)
  @IsEnum(MemberRole)
  role: MemberRole;

  @Field(() => ID, {
    nullable: true,
    description:
      'The organisation to join: yours by default. A platform administrator names a new organisation (no members yet) to invite its first ORG_ADMIN.',
  })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

@ArgsType()
export class InvitationArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class InvitationsArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Yours by default; a platform administrator names one being onboarded.',
  })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

@ArgsType()
export class ChangeMemberRoleArgs {
  @Field(() => ID)
  @IsUUID()
  userId: string;

  @Field(() => MemberRole)
  @IsEnum(MemberRole)
  role: MemberRole;
}

/** One member of the caller's organisation. */
@ArgsType()
export class MemberArgs {
  @Field(() => ID)
  @IsUUID()
  userId: string;
}
