import { UseGuards } from '@nestjs/common';
import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { unauthenticated } from '../common/errors';
import type { Actor } from '../common/actor';
import { AuthService } from './auth.service';
import { AllowWithoutMfa, CurrentActor, Public, SignedIn } from '../common/decorators';
import { ConfirmTotpArgs, EndSessionArgs, LoginArgs, RefreshArgs, UnlockCaseKeysArgs } from './dto/auth.inputs';
import { AuthSession, PlatformAdministrator, SessionView, TotpEnrolment } from './dto/auth.types';
import { AuthRepository } from './auth.repository';
import { Checks } from '../common/checks';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { RecoveryCodesService } from './recovery-codes.service';
import { clearRefreshCookie, inCookie, refreshTokenFromCookie } from './refresh-cookie';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AuthRepository,
    private readonly recoveryCodes: RecoveryCodesService,
  ) {}

  @Checks('read', 'Platform', 'Only platform administrators see who administers the platform')
  @Query(() => [PlatformAdministrator], { description: 'Platform administrators, and whether each has TOTP.' })
  platformAdministrators(): Promise<PlatformAdministrator[]> {
    return this.accounts.platformAdministrators();
  }

  @Public('e-mail, password and TOTP')
  @UseGuards(LoginThrottlerGuard)
  @Mutation(() => AuthSession, { description: 'Wrong e-mail and wrong password give the same error in the same time.' })
  async login(
    @Args() args: LoginArgs,
    @Context('req') req: Request,
    @Context('res') res: Response,
  ): Promise<AuthSession> {
    const session = await this.auth.login(args, req.ip);
    return args.refreshCookie ? inCookie(res, session) : session;
  }

  // Not counted in the sign-in throttle: a console refreshes on every page load, and a refresh token
  // (256 random bits, rotated, reuse ending the session) is no password to guess.
  @Public('a live refresh token')
  @Mutation(() => AuthSession, {
    description:
      'Rotates the refresh token (the argument, or else the hw_refresh cookie, answered the same way); presenting a used one ends the whole session.',
  })
  async refreshSession(
    @Args() { refreshToken }: RefreshArgs,
    @Context('req') req: Request,
    @Context('res') res: Response,
  ): Promise<AuthSession> {
    if (refreshToken) return this.auth.refresh(refreshToken);
    const fromCookie = refreshTokenFromCookie(req);
    if (!fromCookie) throw unauthenticated('No refresh token: sign in again');
    try {
      return inCookie(res, await this.auth.refresh(fromCookie));
    } catch (err) {
      // A refused cookie is dead for good (used, expired or revoked): the browser should drop it.
      clearRefreshCookie(res);
      throw err;
    }
  }

  @SignedIn()
  @UseGuards(LoginThrottlerGuard)
  @Mutation(() => Boolean, {
    description:
      "Opens again, for this session, what only your password opens (a case handler's keys, after they went idle). Guesses count as failed sign-ins.",
  })
  unlockCaseKeys(
    @CurrentActor() actor: Actor,
    @Args() { password }: UnlockCaseKeysArgs,
    @Context('req') req: Request,
  ): Promise<boolean> {
    return this.auth.unlockWithPassword(actor, password, req.ip);
  }

  @SignedIn()
  @AllowWithoutMfa()
  @Mutation(() => Boolean)
  logout(@CurrentActor() actor: Actor, @Context('res') res: Response): Promise<boolean> {
    clearRefreshCookie(res);
    return this.auth.logout(actor);
  }

  @SignedIn()
  @AllowWithoutMfa()
  @Mutation(() => Boolean, { description: 'Ends every session of the caller, on every device.' })
  logoutEverywhere(@CurrentActor() actor: Actor, @Context('res') res: Response): Promise<boolean> {
    clearRefreshCookie(res);
    return this.auth.logoutEverywhere(actor);
  }

  @SignedIn()
  @AllowWithoutMfa()
  @Mutation(() => TotpEnrolment)
  enrolTotp(@CurrentActor() actor: Actor): Promise<TotpEnrolment> {
    return this.auth.enrolTotp(actor);
  }

  @SignedIn()
  @AllowWithoutMfa()
  @Mutation(() => Boolean)
  confirmTotp(@CurrentActor() actor: Actor, @Args() { code }: ConfirmTotpArgs): Promise<boolean> {
    return this.auth.confirmTotp(actor, code);
  }

  @SignedIn()
  @Query(() => Int, { description: 'Platform administrators: how many of your recovery codes are unused.' })
  recoveryCodesLeft(@CurrentActor() actor: Actor): Promise<number> {
    return this.recoveryCodes.left(actor);
  }

  @SignedIn()
  @Mutation(() => [String], {
    description:
      'Platform administrators: ten new one-time recovery codes, shown this once (the old ones stop working). Keep them offline.',
  })
  generateRecoveryCodes(@CurrentActor() actor: Actor): Promise<string[]> {
    return this.recoveryCodes.generate(actor);
  }

  @SignedIn()
  @Query(() => [SessionView], { description: 'Your live sessions, newest first: where you are signed in.' })
  mySessions(@CurrentActor() actor: Actor): Promise<SessionView[]> {
    return this.auth.sessions(actor);
  }

  @SignedIn()
  @Mutation(() => Boolean, { description: 'Ends one of your sessions (another device); logout ends the current one.' })
  endSession(@CurrentActor() actor: Actor, @Args() { id }: EndSessionArgs): Promise<boolean> {
    return this.auth.endSession(actor, id);
  }
}
