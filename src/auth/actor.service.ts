import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { MemberRole, OrganisationType } from '../organisations/organisation-type';
import type { AccessTokenClaims, Actor } from './actor';

interface ActorRow {
  is_platform_admin: boolean;
  totp_enabled: boolean;
  role: MemberRole | null;
  org_type: OrganisationType | null;
  org_ports: string[] | null;
}

/**
 * Turns verified token claims into an Actor, re-checking on every request that the user is active, the
 * session is not revoked, and (for an organisation token) that the membership still exists and the
 * organisation is active: removing a member or suspending an org takes effect on the next request.
 */
@Injectable()
export class ActorService {
  constructor(private readonly dataSource: DataSource) {}

  async resolve(claims: AccessTokenClaims): Promise<Actor | null> {
    const org = claims.org ?? null;
    if (!isUUID(claims.sub) || !isUUID(claims.sid) || (org !== null && !isUUID(org))) return null;
    const rows: ActorRow[] = await this.dataSource.query(
      `SELECT u.is_platform_admin, u.totp_secret IS NOT NULL AS totp_enabled,
              m.role, o.type AS org_type, o.ports AS org_ports
         FROM users u
         JOIN sessions s ON s.id = $2 AND s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()
              AND s.organisation_id IS NOT DISTINCT FROM $3::uuid
         LEFT JOIN memberships m ON m.user_id = u.id AND m.organisation_id = $3::uuid
         LEFT JOIN organisations o ON o.id = m.organisation_id AND o.status = 'ACTIVE'
        WHERE u.id = $1 AND u.status = 'ACTIVE'`,
      [claims.sub, claims.sid, org],
    );
    const row = rows[0];
    if (!row) return null;
    if (org ? !row.org_type : !row.is_platform_admin) return null;
    return {
      userId: claims.sub,
      sessionId: claims.sid,
      isPlatformAdmin: row.is_platform_admin,
      totpEnabled: row.totp_enabled,
      organisationId: org,
      role: org ? row.role : null,
      organisationType: row.org_type,
      organisationPorts: row.org_ports ?? [],
    };
  }
}
