import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { AllowWithoutMfa, CurrentActor, Public, SignedIn } from '../common/decorators';
import { IdArgs } from '../common/dto/id.inputs';
import { AuthService } from './auth.service';
import { AuthSession } from './dto/auth.types';
import { PasskeyChallenge, RegisterPasskeyArgs, RenamePasskeyArgs, SignInWithPasskeyArgs } from './dto/passkey.types';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { Passkey } from './passkey.entity';
import { PasskeysService } from './passkeys.service';
import { inCookie } from './refresh-cookie';

@Resolver(() => Passkey)
export class PasskeysResolver {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly auth: AuthService,
  ) {}

  @SignedIn()
  @AllowWithoutMfa()
  @Query(() => [Passkey], { description: 'Your passkeys, oldest first.' })
  myPasskeys(@CurrentActor() actor: Actor): Promise<Passkey[]> {
    return this.passkeys.mine(actor);
  }

  @SignedIn()
  @AllowWithoutMfa()
  @Mutation(() => PasskeyChallenge, {
    description: 'Options for navigator.credentials.create: a new passkey of yours.',
  })
  passkeyRegistrationOptions(@CurrentActor() actor: Actor): Promise<PasskeyChallenge> {
    return this.passkeys.registrationOptions(actor);
  }

  @SignedIn()
  @AllowWithoutMfa()
  @Mutation(() => Passkey, { description: 'Keeps the passkey the browser created for the challenge, with its name.' })
  registerPasskey(@CurrentActor() actor: Actor, @Args() { challengeId, response, name }: RegisterPasskeyArgs) {
    return this.passkeys.register(actor, challengeId, response, name);
  }

  @SignedIn()
  @Mutation(() => Passkey)
  renamePasskey(@CurrentActor() actor: Actor, @Args() { id, name }: RenamePasskeyArgs): Promise<Passkey> {
    return this.passkeys.rename(actor, id, name);
  }

  @SignedIn()
  @Mutation(() => Boolean, { description: 'It signs you in no more (remove it from the device too).' })
  removePasskey(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<boolean> {
    return this.passkeys.remove(actor, id);
  }

  @Public('nothing yet: a challenge for a passkey to answer')
  @UseGuards(LoginThrottlerGuard)
  @Mutation(() => PasskeyChallenge, {
    description:
      'Options for navigator.credentials.get: a sign-in with a passkey alone (signInWithPasskey), or as the second factor of login.',
  })
  passkeySignInOptions(): Promise<PasskeyChallenge> {
    return this.passkeys.signInOptions();
  }

  @Public('a passkey: its answer to a challenge, signed on this site with the person verified')
  @UseGuards(LoginThrottlerGuard)
  @Mutation(() => AuthSession, { description: 'Signs in with a passkey alone; counted in the sign-in throttle.' })
  async signInWithPasskey(@Args() args: SignInWithPasskeyArgs, @Context('res') res: Response): Promise<AuthSession> {
    const session = await this.auth.loginWithPasskey(args);
    return args.refreshCookie ? inCookie(res, session) : session;
  }
}
