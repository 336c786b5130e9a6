import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';

@ArgsType()
export class LoginArgs {
  @Field()
  @IsString()
  @MaxLength(254)
  email: string;

  @Field()
  @IsString()
  @MaxLength(256)
  password: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'totp must be 6 digits' })
  totp?: string;
}

@ArgsType()
export class RefreshArgs {
  @Field()
  @IsString()
  @Length(20, 200)
  refreshToken: string;
}

@ArgsType()
export class ConfirmTotpArgs {
  @Field()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

@ArgsType()
export class AcceptInvitationArgs {
  @Field()
  @IsString()
  @Length(20, 200)
  token: string;

  @Field()
  @IsString()
  @Length(1, 200)
  displayName: string;

  @Field()
  @IsString()
  @MaxLength(256)
  password: string;

  @Field({ nullable: true, description: 'Required when the invitation is for an existing account with TOTP enrolled' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'totp must be 6 digits' })
  totp?: string;
}
