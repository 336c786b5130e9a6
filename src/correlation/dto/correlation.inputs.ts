import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IndicatorType } from '../../bulletins/indicators';

@InputType()
export class CorrelationExclusionInput {
  @Field(() => IndicatorType)
  @IsEnum(IndicatorType)
  type: IndicatorType;

  @Field({ description: 'Normalised like an indicator of its type; with prefix, the beginning of such values' })
  @IsString()
  @MaxLength(500)
  value: string;

  @Field({ defaultValue: false })
  @IsBoolean()
  prefix: boolean = false;

  @Field({ defaultValue: '' })
  @IsString()
  @MaxLength(500)
  note: string = '';

  @Field({ defaultValue: false, description: 'Platform administrators: exclude it for every organisation' })
  @IsBoolean()
  platform: boolean = false;
}

@ArgsType()
export class AddCorrelationExclusionArgs {
  @Field(() => CorrelationExclusionInput)
  @ValidateNested()
  @Type(() => CorrelationExclusionInput)
  input: CorrelationExclusionInput;
}

@ArgsType()
export class CorrelationNoticesArgs {
  @Field({ defaultValue: false })
  @IsBoolean()
  unseenOnly: boolean = false;
}

@ArgsType()
export class SeenNoticesArgs {
  @Field(() => [ID], { nullable: true, description: 'Omitted: all of yours' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(/^\d{1,18}$/, { each: true, message: 'each id must be a notice id' })
  ids?: string[];
}

@ArgsType()
export class CorrelationMailArgs {
  @Field()
  @IsBoolean()
  enabled: boolean;
}
