import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import type { Actor } from './actor';
import { AuthService } from './auth.service';
import { AllowWithoutMfa, CurrentActor, Public, SignedIn } from './decorators';
import { ConfirmTotpArgs, LoginArgs, RefreshArgs } from './dto/auth.inputs';
import { AuthSession, TotpEnrolment, Viewer } from './dto/auth.types';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { ViewerService } from './viewer.service';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly viewers: ViewerService,
  ) {}

  @Public('e-mail, password and TOTP')
  @UseGuards(LoginThrottlerGuard)
  @Mutation(() => AuthSession, { description: 'Wrong e-mail and wrong password give the same error in the same time.' })
  login(@Args() args: LoginArgs, @Context('req') req: Request): Promise<AuthSession> {
    return this.auth.login(args, req.ip);
  }

  @Public('a live refresh token')
  @UseGuards(LoginThrottlerGuard)
  @Mutation(() => AuthSession, {
    description: 'Rotates the refresh token; presenting a used one ends the whole session.',
  })
  refreshSession(@Args() { refreshToken }: RefreshArgs): Promise<AuthSession> {
    return this.auth.refresh(refreshToken);
  }

  @SignedIn()
  @AllowWithoutMfa()
  @Mutation(() => Boolean)
  logout(@CurrentActor() actor: Actor): Promise<boolean> {
    return this.auth.logout(actor);
  }

  @SignedIn()
  @AllowWithoutMfa()
  @Mutation(() => Boolean, { description: 'Ends every session of the caller, on every device.' })
  logoutEverywhere(@CurrentActor() actor: Actor): Promise<boolean> {
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
  @AllowWithoutMfa()
  @Query(() => Viewer)
  me(@CurrentActor() actor: Actor): Promise<Viewer> {
    return this.viewers.viewer(actor);
  }
}
