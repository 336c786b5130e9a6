import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { LoginThrottlerGuard } from '../auth/login-throttler.guard';
import type { Actor } from '../common/actor';
import { CurrentActor, Public } from '../common/decorators';
import { AcceptInvitationArgs } from '../auth/dto/auth.inputs';
import { AuthSession } from '../auth/dto/auth.types';
import { Connection, PageArgs } from '../common/pagination';
import {
  ChangeMemberRoleArgs,
  InvitationArgs,
  InvitationsArgs,
  InviteMemberArgs,
  MemberArgs,
} from './dto/organisation.inputs';
import { InvitationView, Member, MemberConnection } from './dto/organisation.types';
import { MembersService } from './members.service';
import { Checks, ChecksEach } from '../common/checks';
import { inCookie } from '../auth/refresh-cookie';

@Resolver(() => Member)
export class MembersResolver {
  constructor(private readonly service: MembersService) {}

  @Checks(
    'invite',
    'Invitation',
    'Organisation admins; platform administrators for the first admin of a new organisation',
  )
  @Mutation(() => InvitationView, {
    description: 'E-mails a one-time link (through the outbox), valid INVITATION_TTL_HOURS (72 h by default).',
  })
  inviteMember(
    @CurrentActor() actor: Actor,
    @Args() { email, role, organisationId }: InviteMemberArgs,
  ): Promise<InvitationView> {
    return this.service.invite(actor, email, role, organisationId);
  }

  @ChecksEach('update', 'Invitation', 'Whoever may invite to its organisation')
  @Mutation(() => InvitationView, {
    description: 'A new link and expiry, e-mailed again; the previous link stops working.',
  })
  resendInvitation(@CurrentActor() actor: Actor, @Args() { id }: InvitationArgs): Promise<InvitationView> {
    return this.service.resend(actor, id);
  }

  @ChecksEach('update', 'Invitation', 'Whoever may invite to its organisation')
  @Mutation(() => InvitationView, { description: 'The link stops working at once.' })
  revokeInvitation(@CurrentActor() actor: Actor, @Args() { id }: InvitationArgs): Promise<InvitationView> {
    return this.service.revoke(actor, id);
  }

  @ChecksEach('read', 'Invitation', 'Whoever may invite to its organisation')
  @Query(() => [InvitationView], { description: "An organisation's invitations, newest first (the last 200)." })
  invitations(@CurrentActor() actor: Actor, @Args() { organisationId }: InvitationsArgs): Promise<InvitationView[]> {
    return this.service.invitations(actor, organisationId);
  }

  @Public('an unexpired invitation token; an existing account also passes the sign-in checks')
  @UseGuards(LoginThrottlerGuard)
  @Mutation(() => AuthSession, {
    description: 'For an existing account, passes the same gate as login (lock, password, TOTP).',
  })
  async acceptInvitation(
    @Args() { token, displayName, password, totp, refreshCookie }: AcceptInvitationArgs,
    @Context('req') req: Request,
    @Context('res') res: Response,
  ): Promise<AuthSession> {
    const session = await this.service.accept(token, displayName, { password, totp, address: req.ip });
    return refreshCookie ? inCookie(res, session) : session;
  }

  @ChecksEach('update', 'Membership', 'Only organisation admins can manage members')
  @Mutation(() => Member)
  changeMemberRole(@CurrentActor() actor: Actor, @Args() { userId, role }: ChangeMemberRoleArgs): Promise<Member> {
    return this.service.changeRole(actor, userId, role);
  }

  @ChecksEach('update', 'Membership', 'Only organisation admins can manage members')
  @Mutation(() => Member, {
    description:
      "Removes a member's passkeys and authenticator app and ends their sessions, after they lost them; they are told by e-mail.",
  })
  resetSignInFactors(@CurrentActor() actor: Actor, @Args() { userId }: MemberArgs): Promise<Member> {
    return this.service.resetSignInFactors(actor, userId);
  }

  @ChecksEach('delete', 'Membership', 'Only organisation admins can manage members')
  @Mutation(() => Boolean)
  removeMember(@CurrentActor() actor: Actor, @Args() { userId }: MemberArgs): Promise<boolean> {
    return this.service.remove(actor, userId);
  }

  @ResolveField(() => Date, {
    nullable: true,
    description: "Last sign-in for your organisation (null: never). The organisation's admins only; null for others",
  })
  async lastSignInAt(@CurrentActor() actor: Actor, @Parent() member: Member): Promise<Date | null> {
    return (await this.service.signIn(actor, member.userId))?.lastSignInAt ?? null;
  }

  @ResolveField(() => Boolean, {
    nullable: true,
    description: "Whether the member confirmed an authenticator app. The organisation's admins only; null for others",
  })
  async secondFactor(@CurrentActor() actor: Actor, @Parent() member: Member): Promise<boolean | null> {
    return (await this.service.signIn(actor, member.userId))?.secondFactor ?? null;
  }

  @Checks('read', 'Membership', 'Members of an organisation see its members')
  @Query(() => MemberConnection, { description: "Members of the caller's organisation." })
  members(@CurrentActor() actor: Actor, @Args() args: PageArgs): Promise<Connection<Member>> {
    return this.service.list(actor, args);
  }
}
