import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ActorService } from '../auth/actor.service';
import { AuthService } from '../auth/auth.service';
import { AuthSession } from '../auth/dto/auth.types';
import { PasswordService } from '../auth/password.service';
import { Credentials, SessionGateService } from '../auth/session-gate.service';
import { User } from '../auth/user.entity';
import { APP_CONFIG, AppConfig } from '../config/config';
import { conflict, forbidden, notFound } from '../common/errors';
import { Connection, PageArgs } from '../common/pagination';
import { randomToken, sha256 } from '../common/secret-box';
import { DatabaseService } from '../database/database.service';
import { MailService } from '../notifications/mail.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { Member } from './dto/organisation.types';
import { invitationMail } from '../notifications/mail-templates';
import { Invitation } from './invitation.entity';
import { MembersRepository } from './members.repository';
import { Membership } from './membership.entity';
import { Organisation } from './organisation.entity';
import { MemberRole } from './organisation-type';

@Injectable()
export class MembersService {
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
  ) {}

  async invite(actor: Actor, email: string, role: MemberRole): Promise<Invitation> {
    const organisationId = actor.organisationId;
    if (!organisationId || !canOn(await this.abilities.abilityFor(actor), 'invite', 'Invitation', { organisationId })) {
      throw forbidden('Only organisation admins can invite members');
    }
    if (await this.members.isMember(organisationId, email)) throw conflict('That person is already a member');
    const em = await this.db.em();
    const token = randomToken();
    const invitation = await em.save(
      em.create(Invitation, {
        organisationId,
        email: email.trim(),
        role,
        tokenHash: sha256(token),
        invitedBy: actor.userId,
        expiresAt: new Date(Date.now() + this.config.INVITATION_TTL_HOURS * 3_600_000),
      }),
    );
    const org = await em.findOneByOrFail(Organisation, { id: organisationId });
    const link = `${this.config.publicUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
    const mail = invitationMail({ organisation: org.name, role, link, expiresAt: invitation.expiresAt });
    this.db.afterCommit(async () => {
      await this.mail.send({ to: invitation.email, ...mail });
    });
    return invitation;
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
    return this.auth.startSession(user.id, organisationId, credentials.password);
  }

  async list(actor: Actor, args: PageArgs): Promise<Connection<Member>> {
    const organisationId = actor.organisationId;
    if (!organisationId || !canOn(await this.abilities.abilityFor(actor), 'read', 'Membership', { organisationId })) {
      throw forbidden();
    }
    return this.members.page(organisationId, args.first, args.after);
  }

  async changeRole(actor: Actor, userId: string, role: MemberRole): Promise<Member> {
    const membership = await this.membershipFor(actor, userId, 'update');
    const em = await this.db.em();
    if (membership.role === MemberRole.ORG_ADMIN && role !== MemberRole.ORG_ADMIN) await this.keepAnAdmin(membership);
    await em.update(Membership, { organisationId: membership.organisationId, userId }, { role });
    this.actors.forget();
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
