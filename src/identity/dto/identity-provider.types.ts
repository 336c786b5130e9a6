import { ArgsType, Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { MemberRole } from '../../common/organisation-type';
import { ClientAuth } from '../identity-provider.entity';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

@InputType({ description: "An organisation's OpenID Connect provider" })
export class IdentityProviderInput {
  @Field({ description: 'The issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0' })
  @IsString()
  @Length(8, 500)
  issuer: string;

  @Field()
  @IsString()
  @Length(1, 300)
  clientId: string;

  @Field(() => ClientAuth)
  @IsEnum(ClientAuth)
  clientAuth: ClientAuth;

  @Field(() => String, {
    nullable: true,
    description: 'For client_secret_*: a new secret (kept sealed, never shown again); omitted keeps the current one',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  clientSecret?: string;

  @Field(() => [String], {
    defaultValue: ['openid', 'email', 'profile', 'offline_access'],
    description: 'openid is always asked; offline_access lets the platform ask the provider again at refresh',
  })
  @IsString({ each: true })
  @Matches(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/, { each: true, message: 'A scope is one word of printable characters' })
  @ArrayMaxSize(20)
  scopes: string[] = ['openid', 'email', 'profile', 'offline_access'];

  @Field(() => [String], { description: 'The e-mail domains it answers for (example.org)' })
  @Matches(DOMAIN, { each: true, message: 'A domain such as police.example' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  domains: string[];

  @Field(() => [String], { defaultValue: [], description: 'Of those, the domains whose people join uninvited' })
  @Matches(DOMAIN, { each: true, message: 'A domain such as police.example' })
  @ArrayMaxSize(20)
  joinDomains: string[] = [];

  @Field({
    defaultValue: 'email_verified',
    description: 'The boolean claim vouching for the e-mail (xms_edov for Entra ID)',
  })
  @Matches(/^[\w.:-]{1,100}$/, { message: 'A claim name such as email_verified' })
  emailVerifiedClaim: string = 'email_verified';

  @Field(() => String, {
    nullable: true,
    description: 'The claim carrying groups or roles; omitted: roles are set here',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  roleClaim?: string | null;

  @Field(() => [String], { defaultValue: [] })
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  @ArrayMaxSize(50)
  analystValues: string[] = [];

  @Field(() => [String], { defaultValue: [] })
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  @ArrayMaxSize(50)
  adminValues: string[] = [];

  @Field({ defaultValue: false, description: 'Its people may not sign in with a password' })
  @IsBoolean()
  required: boolean = false;
}

@ArgsType()
export class SaveIdentityProviderArgs {
  @Field(() => IdentityProviderInput)
  @ValidateNested()
  @Type(() => IdentityProviderInput)
  input: IdentityProviderInput;
}

@ArgsType()
export class RequirePhishingResistantArgs {
  @Field()
  @IsBoolean()
  required: boolean;
}

@ObjectType({ description: 'The last test sign-in through the provider, as the admin who tried it saw it' })
export class IdentityProviderTest {
  @Field()
  at: Date;

  @Field({ description: 'Whether the person would have been signed in' })
  admitted: boolean;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => MemberRole, { nullable: true, description: 'The role the claims map to' })
  role: MemberRole | null;

  @Field(() => String, { nullable: true, description: 'Why not, in words' })
  reason: string | null;
}

export enum SignInMethod {
  PASSWORD = 'PASSWORD',
  IDENTITY_PROVIDER = 'IDENTITY_PROVIDER',
}
registerEnumType(SignInMethod, { name: 'SignInMethod' });

@ArgsType()
export class BeginSignInArgs {
  @Field()
  @IsEmail({}, { message: 'An e-mail address such as name@example.org' })
  @Length(3, 320)
  email: string;

  @Field(() => String, { nullable: true, description: 'A console path to return to once signed in' })
  @IsOptional()
  @Matches(/^\/(?!\/)[\x21-\x7e]{0,500}$/, { message: 'returnTo is a path of this console' })
  returnTo?: string;
}

@ObjectType({ description: 'How a person signs in: with a password, or through their organisation' })
export class SignInStep {
  @Field(() => SignInMethod)
  method: SignInMethod;

  @Field(() => String, { nullable: true, description: 'For IDENTITY_PROVIDER: where the browser goes next' })
  redirectUrl: string | null;

  @Field(() => String, { nullable: true, description: 'For IDENTITY_PROVIDER: whose provider it is' })
  organisationName: string | null;
}
