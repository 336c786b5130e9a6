import { Field, ObjectType } from '@nestjs/graphql';
import { MemberRole } from '../../common/organisation-type';
import { ViewerUser } from '../../auth/dto/auth.types';
import { Organisation } from '../organisation.entity';

@ObjectType()
export class ViewerMembership {
  @Field(() => Organisation)
  organisation: Organisation;

  @Field(() => MemberRole)
  role: MemberRole;
}

@ObjectType()
export class Viewer {
  @Field(() => ViewerUser)
  user: ViewerUser;

  @Field(() => Organisation, { nullable: true })
  organisation: Organisation | null;

  @Field(() => MemberRole, { nullable: true })
  role: MemberRole | null;

  @Field()
  isPlatformAdmin: boolean;

  @Field({
    description: 'The organisation requires a passkey and this session began without one: it may only add the first',
  })
  passkeyFirst: boolean;

  @Field(() => [ViewerMembership])
  memberships: ViewerMembership[];
}
