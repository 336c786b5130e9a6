import { Field, ID, ObjectType } from '@nestjs/graphql';

/** An organisation named where another object refers to it (author, recipient, contact). */
@ObjectType()
export class OrganisationRef {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;
}
