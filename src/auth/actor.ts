import { MemberRole, OrganisationType } from '../organisations/organisation-type';

/** Who is acting in a request, as verified against the database (not just the token's claims). */
export interface Actor {
  userId: string;
  sessionId: string;
  isPlatformAdmin: boolean;
  totpEnabled: boolean;
  /** The organisation the token acts for; null only for a platform admin without membership. */
  organisationId: string | null;
  role: MemberRole | null;
  organisationType: OrganisationType | null;
  organisationPorts: string[];
}

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  org: string | null;
}
