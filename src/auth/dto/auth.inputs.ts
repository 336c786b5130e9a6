import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';

/** What every way to a new session takes: how the browser wants its refresh token. */
@ArgsType()
export class SessionArgs {
  @Field({
    defaultValue: false,
    description:
      'Browsers: set the refresh token as an HttpOnly, Secure, SameSite=Strict cookie (path /graphql) instead of returning it',
  })
  @IsBoolean()
  refreshCookie: boolean = false;
}

/** A passkey's answer to a challenge (navigator.credentials.get, as @simplewebauthn/browser returns it). */
@InputType()
export class PasskeyAssertionInput {
  @Field(() => ID)
  @IsUUID()
  challengeId: string;

  @Field(() => GraphQLJSONObject)
  @IsObject()
  response: Record<string, unknown>;
}

@ArgsType()
export class LoginArgs extends SessionArgs {
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

  @Field({ nullable: true, description: "A platform administrator's one-time recovery code, instead of totp" })
  @IsOptional()
  @Matches(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/i, { message: 'A recovery code looks like abcd-efgh-ijkl' })
  recoveryCode?: string;

  @Field(() => PasskeyAssertionInput, {
    nullable: true,
    description: 'A passkey as the second factor, instead of totp (challenge from passkeySignInOptions)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PasskeyAssertionInput)
  passkey?: PasskeyAssertionInput;
}

@ArgsType()
export class RefreshArgs {
  @Field({ nullable: true, description: 'API clients; a browser sends the hw_refresh cookie instead' })
  @IsOptional()
  @IsString()
  @Length(20, 200)
  refreshToken?: string;
}

@ArgsType()
export class ConfirmTotpArgs {
  @Field()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

@ArgsType()
export class AcceptInvitationArgs extends SessionArgs {
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

@ArgsType()
export class EndSessionArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class UnlockCaseKeysArgs {
  @Field()
  @IsString()
  @MaxLength(256)
  password: string;
}
