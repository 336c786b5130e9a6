import { Injectable } from '@nestjs/common';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { Member } from './dto/organisation.types';
import { MemberRole } from '../common/organisation-type';

interface MemberRow {
  user_id: string;
  email: string;
  display_name: string;
  role: MemberRole;
  created_at: Date;
}

/** An invitation found by its token's hash, before anyone is authenticated. */
export interface PendingInvitation {
  id: string;
  organisation_id: string;
  email: string;
  role: MemberRole;
}

const MEMBER = `SELECT u.id AS user_id, u.email, u.display_name, m.role, m.created_at
                  FROM memberships m JOIN users u ON u.id = m.user_id`;

const toMember = (r: MemberRow): Member => ({
  userId: r.user_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  joinedAt: r.created_at,
});

/** What an invitation e-mail says, while the invitation can still be accepted with the job's token. */
export interface InvitationMailRow {
  email: string;
  role: MemberRole;
  organisation: string;
  expires_at: Date;
}

/** Memberships with their users, and invitations, in the request's transaction. */
@Injectable()
export class MembersRepository {
  constructor(private readonly db: DatabaseService) {}

  async isMember(organisationId: string, email: string): Promise<boolean> {
    const rows: unknown[] = await (
      await this.db.em()
    ).query(
      `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 AND u.email = $2`,
      [organisationId, email],
    );
    return rows.length > 0;
  }

  /** Whether anyone belongs to the organisation (a SECURITY DEFINER function: the caller may see none of them). */
  async hasMembers(organisationId: string): Promise<boolean> {
    const [row]: { has: boolean }[] = await (
      await this.db.em()
    ).query(`SELECT organisation_has_members($1) AS has`, [organisationId]);
    return row.has;
  }

  /** For the outbox worker, which acts as nobody (a SECURITY DEFINER function). */
  async invitationMail(id: string, tokenHash: Buffer): Promise<InvitationMailRow | undefined> {
    const [row]: InvitationMailRow[] = await (
      await this.db.em()
    ).query(`SELECT * FROM invitation_mail($1, $2)`, [id, tokenHash]);
    return row;
  }

  /** The unexpired, unaccepted invitation with this token hash, locked (a SECURITY DEFINER function). */
  async invitationByToken(tokenHash: Buffer): Promise<PendingInvitation | undefined> {
    const [row]: PendingInvitation[] = await (
      await this.db.em()
    ).query(`SELECT * FROM auth_invitation_by_token($1)`, [tokenHash]);
    return row;
  }

  /** The organisation's active admins, to be told what concerns it. */
  async admins(organisationId: string): Promise<{ user_id: string; email: string }[]> {
    return (await this.db.em()).query(
      `SELECT u.id AS user_id, u.email FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organisation_id = $1 AND m.role = $2 AND u.status = 'ACTIVE'`,
      [organisationId, MemberRole.ORG_ADMIN],
    );
  }

  async addMembership(organisationId: string, userId: string, role: MemberRole): Promise<void> {
    await (
      await this.db.em()
    ).query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      organisationId,
      userId,
      role,
    ]);
  }

  /** When each user last signed in for the organisation, and whether they confirmed a second factor. */
  async signIns(
    organisationId: string,
    userIds: readonly string[],
  ): Promise<{ lastSignInAt: Date | null; secondFactor: boolean }[]> {
    const rows: { id: string; last_sign_in_at: Date | null; second_factor: boolean }[] = await (
      await this.db.em()
    ).query(
      `SELECT u.id, u.totp_secret IS NOT NULL AS second_factor,
              (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id AND s.organisation_id = $1) AS last_sign_in_at
         FROM users u WHERE u.id = ANY($2)`,
      [organisationId, userIds],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return userIds.map((id) => ({
      lastSignInAt: byId.get(id)?.last_sign_in_at ?? null,
      secondFactor: byId.get(id)?.second_factor ?? false,
    }));
  }

  async member(organisationId: string, userId: string): Promise<Member> {
    const [row]: MemberRow[] = await (
      await this.db.em()
    ).query(`${MEMBER} WHERE m.organisation_id = $1 AND m.user_id = $2`, [organisationId, userId]);
    return toMember(row);
  }

  /** The organisation's members by e-mail address, keyset-paged. */
  async page(organisationId: string, first: number, after?: string): Promise<Connection<Member>> {
    const params: unknown[] = [organisationId, first + 1];
    let from = '';
    if (after) {
      const [email, id] = decodeCursor(after, 2);
      params.push(email, id);
      from = `AND (lower(u.email::text), u.id) > ($3, $4::uuid)`;
    }
    const rows: MemberRow[] = await (
      await this.db.em()
    ).query(`${MEMBER} WHERE m.organisation_id = $1 ${from} ORDER BY lower(u.email::text), u.id LIMIT $2`, params);
    return toConnection(rows.map(toMember), first, (m) => [m.email.toLowerCase(), m.userId]);
  }

  /** How many admins the organisation has, their rows locked until the transaction ends. */
  async lockedAdminCount(organisationId: string): Promise<number> {
    const [{ admins }]: { admins: number }[] = await (
      await this.db.em()
    ).query(
      `SELECT count(*)::int AS admins FROM (SELECT 1 FROM memberships WHERE organisation_id = $1 AND role = $2 FOR UPDATE) a`,
      [organisationId, MemberRole.ORG_ADMIN],
    );
    return admins;
  }
}
