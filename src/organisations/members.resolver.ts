import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { LoginThrottlerGuard } from '../auth/login-throttler.guard';
import type { Actor } from '../auth/actor';
import { CurrentActor, Public } from '../auth/decorators';
import { AcceptInvitationArgs } from '../auth/dto/auth.inputs';
import { AuthSession } from '../auth/dto/auth.types';
import { Connection, PageArgs } from '../common/pagination';
import { ChangeMemberRoleArgs, InviteMemberArgs, RemoveMemberArgs } from './dto/organisation.inputs';
import { InvitationView, Member, MemberConnection } from './dto/organisation.types';
import { MembersService } from './members.service';
import { Checks, ChecksEach } from '../sharing/checks';
import { inCookie } from '../auth/refresh-cookie';

@Resolver(() => Member)
export class MembersResolver {
  constructor(private readonly service: MembersService) {}

  @Checks('invite', 'Invitation', 'Only organisation admins can invite members')
  @Mutation(() => InvitationView, {
    description: 'E-mails a one-time link, valid INVITATION_TTL_HOURS (72 h by default).',
  })
  inviteMember(@CurrentActor() actor: Actor, @Args() { email, role }: InviteMemberArgs): Promise<InvitationView> {
    return this.service.invite(actor, email, role);
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

  @ChecksEach('delete', 'Membership', 'Only organisation admins can manage members')
  @Mutation(() => Boolean)
  removeMember(@CurrentActor() actor: Actor, @Args() { userId }: RemoveMemberArgs): Promise<boolean> {
    return this.service.remove(actor, userId);
  }

  @Checks('read', 'Membership', 'Members of an organisation see its members')
  @Query(() => MemberConnection, { description: "Members of the caller's organisation." })
  members(@CurrentActor() actor: Actor, @Args() args: PageArgs): Promise<Connection<Member>> {
    return this.service.list(actor, args);
  }
}
