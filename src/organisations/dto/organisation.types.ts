import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../common/pagination';
import { Organisation } from '../organisation.entity';
import { MemberRole } from '../organisation-type';

/** An organisation named where another object refers to it (author, recipient, contact). */
@ObjectType()
export class OrganisationRef {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;
}

@ObjectType()
export class Member {
  @Field(() => ID)
  userId: string;

  @Field()
  email: string;

  @Field()
  displayName: string;

  @Field(() => MemberRole)
  role: MemberRole;

  @Field()
  joinedAt: Date;
}

@ObjectType('Invitation')
export class InvitationView {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field(() => MemberRole)
  role: MemberRole;

  @Field()
  expiresAt: Date;
}

export const OrganisationConnection = ConnectionType(Organisation);
export const MemberConnection = ConnectionType(Member);
