import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
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
import { Severity } from '../../bulletins/bulletin-enums';
import { BulletinCategory } from '../../common/categories';
import { PageArgs } from '../../common/pagination';
import { LOCODE, OrganisationType } from '../../common/organisation-type';
import { Channel, DeliveryMode } from '../alert-subscription.entity';

@InputType()
export class AlertFilterInput {
  @Field(() => [BulletinCategory], { defaultValue: [] })
  @IsArray()
  @IsEnum(BulletinCategory, { each: true })
  categories: BulletinCategory[] = [];

  @Field(() => Severity, { nullable: true })
  @IsOptional()
  @IsEnum(Severity)
  minSeverity?: Severity | null;

  @Field(() => [String], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(LOCODE, { each: true, message: 'each port must be a UN/LOCODE such as NLRTM' })
  ports: string[] = [];

  @Field(() => [OrganisationType], { defaultValue: [] })
  @IsArray()
  @IsEnum(OrganisationType, { each: true })
  organisationTypes: OrganisationType[] = [];

  @Field(() => [ID], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  authorOrganisationIds: string[] = [];
}

@InputType()
export class AlertSubscriptionInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => AlertFilterInput, { nullable: true, description: 'Omitted: every bulletin you may see' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AlertFilterInput)
  filter?: AlertFilterInput;

  @Field(() => [Channel])
  @ArrayMinSize(1)
  @IsEnum(Channel, { each: true })
  channels: Channel[];

  @Field(() => DeliveryMode)
  @IsEnum(DeliveryMode)
  mode: DeliveryMode;
}

@ArgsType()
export class CreateAlertSubscriptionArgs {
  @Field(() => AlertSubscriptionInput)
  @ValidateNested()
  @Type(() => AlertSubscriptionInput)
  input: AlertSubscriptionInput;
}

@ArgsType()
export class UpdateAlertSubscriptionArgs extends CreateAlertSubscriptionArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class AlertSubscriptionsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Organisation admins: a member's subscriptions instead of your own" })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

@ArgsType()
export class AlertFilterPreviewArgs {
  @Field(() => AlertFilterInput, { nullable: true, description: 'Omitted: every bulletin you may see' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AlertFilterInput)
  filter?: AlertFilterInput;

  @Field(() => Int, { defaultValue: 20, description: 'How many of the matched bulletins to return, newest first' })
  @IsInt()
  @Min(1)
  @Max(100)
  first: number = 20;
}
