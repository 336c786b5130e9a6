import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

@InputType()
export class SavedViewInput {
  @Field()
  @IsString()
  @Length(1, 80)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @Field({ description: "The feed's address parameters, such as tlp=AMBER&order=SEVERITY (SavedView.query)" })
  @IsString()
  @MaxLength(2000)
  query: string;

  @Field({ defaultValue: false, description: "Shared with your organisation's members" })
  @IsBoolean()
  shared: boolean = false;
}

@ArgsType()
export class CreateSavedViewArgs {
  @Field(() => SavedViewInput)
  @ValidateNested()
  @Type(() => SavedViewInput)
  input: SavedViewInput;
}

@ArgsType()
export class UpdateSavedViewArgs extends CreateSavedViewArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class DefaultSavedViewArgs {
  @Field(() => ID, { nullable: true, description: 'None: the feed opens unfiltered, newest first' })
  @IsOptional()
  @IsUUID()
  id?: string | null;
}
