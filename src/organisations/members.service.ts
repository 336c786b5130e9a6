import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { requestLoader } from '../common/request-loaders';
import { AuditService } from '../audit/audit.service';
import { ActorService } from '../auth/actor.service';
import { AuthService } from '../auth/auth.service';
import { AuthSession } from '../auth/dto/auth.types';
import { PasswordService } from '../auth/password.service';
import { Credentials, SessionGateService } from '../auth/session-gate.service';
import { User } from '../auth/user.entity';
import { APP_CONFIG, AppConfig } from '../config/config';
import { badInput, conflict, forbidden, notFound } from '../common/errors';
import { Connection, PageArgs } from '../common/pagination';
import { randomToken, SecretBox, sha256 } from '../common/secret-box';
import { DatabaseService } from '../database/database.service';
import { MailService } from '../outbox/mail.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { abilityToSql, canOn } from '../sharing/ability-sql';
import { InvitationStatus, InvitationView, Member } from './dto/organisation.types';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { factorsResetMail, invitationMail } from '../outbox/mail-templates';
import { consolePath } from '../shared/console-routes';
import { Invitation } from './invitation.entity';
import { MembersRepository } from './members.repository';
import { Membership } from './membership.entity';
import { Organisation } from './organisation.entity';
import { MemberRole, OrganisationStatus } from '../common/organisation-type';

/** How the ability's fields map to SQL in the invitations list (docs/authorization/ability-sql.md shows the result). */
export const INVITATION_COLUMNS = { organisationId: 'i.organisation_id', role: 'i.role' };

/** An invitation e-mail waiting in the outbox: the token sealed (SecretBox), bound to its invitation. */
interface InvitationJob {
  invitationId: string;
  token: string;
}

const tokenContext = (invitationId: string) => `invitation-token:${invitationId}`;

function toView(i: Invitation): InvitationView {
  const status = i.acceptedAt
    ? InvitationStatus.ACCEPTED
    : i.revokedAt
      ? InvitationStatus.REVOKED
      : i.expiresAt <= new Date()
        ? InvitationStatus.EXPIRED
        : InvitationStatus.PENDING;
  return {
    id: i.id,
    organisationId: i.organisationId,
    email: i.email,
    role: i.role,
    status,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
  };
}

@Injectable()
export class MembersService implements OnModuleInit {
  private readonly box: SecretBox;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly members: MembersRepository,
    private readonly abilities: AbilityFactory,
    private readonly auth: AuthService,
    private readonly actors: ActorService,
    private readonly passwords: PasswordService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly gate: SessionGateService,
    private readonly outbox: OutboxService,
  ) {
    this.box = new SecretBox(config.encryptionKeys);
  }

  async onModuleInit(): Promise<void> {
    await this.outbox.work<InvitationJob>(QUEUE.invitationEmail, (job) => this.sendInvitation(job));
  }

  /**
   * An organisation admin invites to their organisation; a platform administrator invites the first
   * ORG_ADMIN of an organisation that has no member yet (onboarding), and nothing more.
   */
  async invite(actor: Actor, email: string, role: MemberRole, organisationId?: string): Promise<InvitationView> {
    const org = await this.invitingInto(actor, organisationId ?? actor.organisationId, role);
    if (await this.members.isMember(org, email)) throw conflict('That person is already a member');
    const em = await this.db.em();
    const { token, ...link } = this.newLink();
    const invitation = await em.save(
      em.create(Invitation, { organisationId: org, email: email.trim(), role, invitedBy: actor.userId, ...link }),
    );
    return this.mailLink(invitation, token);
  }

  /** A new link (the old one stops working) and a new expiry, e-mailed again. */
  async resend(actor: Actor, id: string): Promise<InvitationView> {
    const invitation = await this.invitationFor(actor, id);
    if (invitation.acceptedAt || invitation.revokedAt)
      throw conflict('Only an invitation not yet accepted or revoked is sent again');
    const { token, ...link } = this.newLink();
    await (await this.db.em()).update(Invitation, invitation.id, link);
    return this.mailLink(Object.assign(invitation, link), token);
  }

  /** The link stops working at once; an e-mail still waiting in the outbox is not sent. */
  async revoke(actor: Actor, id: string): Promise<InvitationView> {
    const invitation = await this.invitationFor(actor, id);
    if (invitation.acceptedAt) throw conflict('This invitation was already accepted: remove the member instead');
    if (!invitation.revokedAt) {
      invitation.revokedAt = new Date();
      await (await this.db.em()).update(Invitation, invitation.id, { revokedAt: invitation.revokedAt });
    }
    return toView(invitation);
  }

  /** The organisation's invitations, newest first (the last 200). */
  async invitations(actor: Actor, organisationId?: string): Promise<InvitationView[]> {
    const org = organisationId ?? actor.organisationId;
    if (!org) throw badInput('Name the organisation', 'organisationId');
    if (org !== actor.organisationId && !actor.isPlatformAdmin) throw notFound('Organisation');
    const ability = await this.abilities.abilityFor(actor);
    if (!canOn(ability, 'read', 'Invitation', { organisationId: org, role: MemberRole.ORG_ADMIN }))
      throw forbidden('Only organisation admins see its invitations');
    // Row-level security also leaves a platform administrator the invitations of organisations being onboarded only.
    const visible = abilityToSql(ability, 'read', 'Invitation', INVITATION_COLUMNS);
    const rows = await (
      await this.db.em()
    )
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .where(visible.sql, visible.params)
      .andWhere('i.organisation_id = :org', { org })
      .orderBy('i.created_at', 'DESC')
      .limit(200)
      .getMany();
    return rows.map(toView);
  }

  /** The organisation an invitation goes to, or why not. */
  private async invitingInto(actor: Actor, org: string | null | undefined, role: MemberRole): Promise<string> {
    if (!org) throw badInput('Name the organisation to invite to', 'organisationId');
    const ability = await this.abilities.abilityFor(actor);
    if (org === actor.organisationId && canOn(ability, 'invite', 'Invitation', { organisationId: org, role }))
      return org;
    if (!actor.isPlatformAdmin) {
      if (org === actor.organisationId) throw forbidden('Only organisation admins can invite members');
      throw notFound('Organisation');
    }
    const target = await (await this.db.em()).findOneBy(Organisation, { id: org });
    if (!target) throw notFound('Organisation');
    if (target.status !== OrganisationStatus.ACTIVE) throw conflict('The organisation is suspended');
    if (await this.members.hasMembers(org))
      throw conflict('This organisation has members already: its admins invite the others');
    if (!canOn(ability, 'invite', 'Invitation', { organisationId: org, role }))
      throw badInput("A new organisation's first member is its ORG_ADMIN", 'role');
    return org;
  }

  /** One the caller may read, or NOT_FOUND; one they may read but not manage, FORBIDDEN. */
  private async invitationFor(actor: Actor, id: string): Promise<Invitation> {
    const invitation = await (await this.db.em()).findOneBy(Invitation, { id });
    const ability = await this.abilities.abilityFor(actor);
    if (!invitation || !canOn(ability, 'read', 'Invitation', invitation)) throw notFound('Invitation');
    if (!canOn(ability, 'update', 'Invitation', invitation))
      throw forbidden('Only organisation admins manage invitations');
    return invitation;
  }

  /** A new one-time token (the table keeps its hash only) and its expiry. */
  private newLink(): { token: string; tokenHash: Buffer; expiresAt: Date } {
    const token = randomToken();
    return {
      token,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + this.config.INVITATION_TTL_HOURS * 3_600_000),
    };
  }

  /**
   * The e-mail queued in the outbox in this transaction: committed, it is sent (retried while SMTP
   * refuses), rolled back, never. The token rests in the job sealed, bound to its invitation.
   */
  private async mailLink(invitation: Invitation, token: string): Promise<InvitationView> {
    const job: InvitationJob = {
      invitationId: invitation.id,
      token: this.box.seal(token, tokenContext(invitation.id)),
    };
    await this.outbox.enqueue(await this.db.em(), QUEUE.invitationEmail, [{ data: job }]);
    return toView(invitation);
  }

  /** The outbox worker: nothing once the invitation was accepted, revoked, expired or sent again. */
  private async sendInvitation({ invitationId, token }: InvitationJob): Promise<void> {
    const plain = this.box.open(token, tokenContext(invitationId));
    const row = await this.db.withRequest({}, () => this.members.invitationMail(invitationId, sha256(plain)));
    if (!row) return;
    const link = `${this.config.publicUrl}/invitations/accept?token=${encodeURIComponent(plain)}`;
    await this.mail.send({
      to: row.email,
      ...invitationMail({ organisation: row.organisation, role: row.role, link, expiresAt: row.expires_at }),
    });
  }

  /** Redeems a one-time invitation: creates the account, or adds the membership to an existing one. */
  async accept(token: string, displayName: string, credentials: Credentials): Promise<AuthSession> {
    const em = await this.db.em();
    // Nobody is authenticated yet: a SECURITY DEFINER function finds (and locks) the invitation.
    const invitation = await this.members.invitationByToken(sha256(token));
    if (!invitation) throw notFound('Invitation');
    let user = await em.findOneBy(User, { email: invitation.email });
    if (user) {
      // The token proves control of the mailbox, not of the account: the account's own gate applies.
      user = await this.gate.pass(em, invitation.email, user, credentials);
    } else {
      this.passwords.assertAcceptable(credentials.password);
      user = await em.save(
        em.create(User, {
          email: invitation.email,
          displayName: displayName.trim(),
          passwordHash: await this.passwords.hash(credentials.password),
        }),
      );
    }
    const organisationId = invitation.organisation_id;
    await this.db.actAs({ userId: user.id, organisationId, isPlatformAdmin: user.isPlatformAdmin });
    await this.members.addMembership(organisationId, user.id, invitation.role);
    await em.update(Invitation, invitation.id, { acceptedAt: new Date() });
    await this.audit.record({
      action: 'acceptInvitation',
      objectType: 'Invitation',
      objectId: invitation.id,
      subjectOrganisationId: organisationId,
      actor: { userId: user.id, organisationId },
    });
    return this.auth.startSession(user.id, organisationId, { password: credentials.password });
  }

  async list(actor: Actor, args: PageArgs): Promise<Connection<Member>> {
    const organisationId = actor.organisationId;
    if (!organisationId || !canOn(await this.abilities.abilityFor(actor), 'read', 'Membership', { organisationId })) {
      throw forbidden();
    }
    return this.members.page(organisationId, args.first, args.after);
  }

  /**
   * A member's last sign-in for the organisation and second-factor status: for its admins, who answer
   * for the accounts (null to other members: when a colleague signs in is not theirs to watch).
   */
  async signIn(actor: Actor, userId: string): Promise<{ lastSignInAt: Date | null; secondFactor: boolean } | null> {
    const organisationId = actor.organisationId;
    if (!organisationId || !canOn(await this.abilities.abilityFor(actor), 'update', 'Membership', { organisationId }))
      return null;
    return requestLoader<string, { lastSignInAt: Date | null; secondFactor: boolean }>('member.signIns', (ids) =>
      this.members.signIns(organisationId, ids),
    ).load(userId);
  }

  async changeRole(actor: Actor, userId: string, role: MemberRole): Promise<Member> {
    const membership = await this.membershipFor(actor, userId, 'update');
    const em = await this.db.em();
    if (membership.role === MemberRole.ORG_ADMIN && role !== MemberRole.ORG_ADMIN) await this.keepAnAdmin(membership);
    await em.update(Membership, { organisationId: membership.organisationId, userId }, { role });
    this.actors.forget();
    return this.members.member(membership.organisationId, userId);
  }

  /**
   * A member who lost every second factor (phone, security key) is reset by their organisation's admin:
   * passkeys and TOTP removed, sessions ended, the person told by e-mail (the mutation is audited).
   * Only someone who is no other organisation's member, and no platform administrator: their factors
   * are not this organisation's alone to remove.
   */
  async resetSignInFactors(actor: Actor, userId: string): Promise<Member> {
    const membership = await this.membershipFor(actor, userId, 'update');
    const em = await this.db.em();
    const user = await em.findOneByOrFail(User, { id: userId });
    const [{ n }] = await em.query<{ n: number }[]>(`SELECT user_membership_count($1) AS n`, [userId]);
    if (n > 1 || user.isPlatformAdmin)
      throw conflict(
        'This person is also a member elsewhere or administers the platform: a platform administrator resets them',
      );
    await this.auth.resetFactors(em, userId);
    this.actors.forget();
    const organisation = await em.findOneByOrFail(Organisation, { id: membership.organisationId });
    const content = factorsResetMail({
      organisation: organisation.name,
      link: `${this.config.publicUrl}${consolePath('security')}`,
    });
    this.db.afterCommit(async () => {
      await this.mail.send({ to: user.email, ...content });
    });
    return this.members.member(membership.organisationId, userId);
  }

  async remove(actor: Actor, userId: string): Promise<boolean> {
    const membership = await this.membershipFor(actor, userId, 'delete');
    const em = await this.db.em();
    if (membership.role === MemberRole.ORG_ADMIN) await this.keepAnAdmin(membership);
    await em.delete(Membership, { organisationId: membership.organisationId, userId });
    await this.auth.revoke(em, { userId, organisationId: membership.organisationId }, 'membership removed');
    return true;
  }

  /** The target's membership in the caller's organisation; another org's member is NOT_FOUND. */
  private async membershipFor(actor: Actor, userId: string, action: 'update' | 'delete'): Promise<Membership> {
    const membership = actor.organisationId
      ? await (await this.db.em()).findOneBy(Membership, { organisationId: actor.organisationId, userId })
      : null;
    if (!membership || !canOn(await this.abilities.abilityFor(actor), 'read', 'Membership', membership))
      throw notFound('Member');
    if (!canOn(await this.abilities.abilityFor(actor), action, 'Membership', membership)) {
      throw forbidden('Only organisation admins can manage members');
    }
    return membership;
  }

  /** An organisation never loses its last admin (nobody could manage it any more). */
  private async keepAnAdmin(membership: Membership): Promise<void> {
    if ((await this.members.lockedAdminCount(membership.organisationId)) <= 1)
      throw conflict('An organisation must keep at least one ORG_ADMIN');
  }
}
