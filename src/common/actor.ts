import { MemberRole, OrganisationType } from './organisation-type';
import type { Tlp } from './tlp';

/** Who is acting in a request, as verified against the database (not just the token's claims). */
export interface Actor {
  userId: string;
  sessionId: string;
  isPlatformAdmin: boolean;
  /** A TOTP app or a passkey: platform administrators need one before any desk opens. */
  hasSecondFactor: boolean;
  /** The organisation the token acts for; null only for a platform admin without membership. */
  organisationId: string | null;
  role: MemberRole | null;
  organisationType: OrganisationType | null;
  organisationPorts: string[];
  /**
   * The organisation requires phishing-resistant sign-in and this session did not begin so: it may
   * only add the person's first passkey (AuthGuard).
   */
  enrolmentOnly?: boolean;
  /**
   * Set when a machine client acts with its API key (auth/machine-clients.service.ts): then `userId`
   * and `sessionId` are the client's id, which names no user, and the role is MEMBER (reads; one that
   * may write also creates drafts).
   */
  machineClient?: { id: string; maxTlp: Tlp; canWrite: boolean };
}

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  org: string | null;
}
