import { ArgsType, Field, ID, ObjectType } from '@nestjs/graphql';
import { IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { SessionArgs } from './auth.inputs';

@ObjectType({
  description: 'Options for navigator.credentials (as @simplewebauthn/browser takes them), and their challenge',
})
export class PasskeyChallenge {
  @Field(() => ID, { description: 'Send it back with the answer; it is good for one answer, for five minutes' })
  challengeId: string;

  @Field(() => GraphQLJSONObject)
  options: object;
}

@ArgsType()
export class RegisterPasskeyArgs {
  @Field(() => ID)
  @IsUUID()
  challengeId: string;

  @Field(() => GraphQLJSONObject, {
    description: 'navigator.credentials.create, as @simplewebauthn/browser returns it',
  })
  @IsObject()
  response: Record<string, unknown>;

  @Field({ description: 'Your name for it, such as "work laptop" or "security key"' })
  @IsString()
  @Length(1, 60)
  name: string;
}

@ArgsType()
export class RenamePasskeyArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field()
  @IsString()
  @Length(1, 60)
  name: string;
}

@ArgsType()
export class SignInWithPasskeyArgs extends SessionArgs {
  @Field(() => ID)
  @IsUUID()
  challengeId: string;

  @Field(() => GraphQLJSONObject, { description: 'navigator.credentials.get, as @simplewebauthn/browser returns it' })
  @IsObject()
  response: Record<string, unknown>;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}
