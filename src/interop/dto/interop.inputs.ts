import { ArgsType, Field } from '@nestjs/graphql';
import { IsObject } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';

@ArgsType()
export class ImportStixBundleArgs {
  @Field(() => GraphQLJSONObject, { description: 'A STIX 2.1 bundle' })
  @IsObject()
  bundle: Record<string, unknown>;
}
