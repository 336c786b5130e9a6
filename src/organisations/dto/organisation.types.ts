import { registerEnumType, Field, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../common/pagination';
import { Organisation } from '../organisation.entity';
import { MemberRole } from '../../common/organisation-type';

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

export enum InvitationStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(InvitationStatus, { name: 'InvitationStatus' });

@ObjectType('Invitation')
export class InvitationView {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organisationId: string;

  @Field()
  email: string;

  @Field(() => MemberRole)
  role: MemberRole;

  @Field(() => InvitationStatus)
  status: InvitationStatus;

  @Field()
  createdAt: Date;

  @Field({ description: 'Until then the link works, once (a resend gives a new link and a new date).' })
  expiresAt: Date;
}

export const OrganisationConnection = ConnectionType(Organisation);
export const MemberConnection = ConnectionType(Member);
