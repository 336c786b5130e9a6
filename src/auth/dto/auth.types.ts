import { Field, ID, ObjectType } from '@nestjs/graphql';
import { OrganisationRef } from '../../common/dto/organisation-ref.types';

@ObjectType()
export class AuthSession {
  @Field()
  accessToken: string;

  @Field(() => String, { nullable: true, description: 'Null when it was set as the hw_refresh cookie (refreshCookie)' })
  refreshToken: string | null;

  @Field()
  accessTokenExpiresAt: Date;

  @Field()
  refreshTokenExpiresAt: Date;

  @Field(() => OrganisationRef, { nullable: true, description: 'Null only for a platform admin without membership' })
  organisation: OrganisationRef | null;
}

@ObjectType()
export class TotpEnrolment {
  @Field({ description: 'Base32 secret, for manual entry' })
  secret: string;

  @Field({ description: 'otpauth:// URI for authenticator apps (QR code)' })
  otpauthUrl: string;
}

@ObjectType({ description: 'One of your sessions: a sign-in on some device, until it is ended or expires' })
export class SessionView {
  @Field(() => ID)
  id: string;

  @Field(() => OrganisationRef, { nullable: true, description: 'The organisation it acts for' })
  organisation: OrganisationRef | null;

  @Field({ description: 'When you signed in' })
  createdAt: Date;

  @Field({ description: 'When it ends unless refreshed' })
  expiresAt: Date;

  @Field({ description: 'The session this request comes from' })
  current: boolean;
}

/** A person's account as they and the platform admins see it. */
@ObjectType()
export class ViewerUser {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field()
  displayName: string;

  @Field()
  totpEnabled: boolean;

  @Field({ description: 'Whether the account has a passkey' })
  hasPasskey: boolean;
}

/** A platform administrator as the others see them: whether their account has a second factor. */
@ObjectType()
export class PlatformAdministrator extends ViewerUser {
  @Field({ description: 'ACTIVE or DISABLED' })
  status: string;
}
