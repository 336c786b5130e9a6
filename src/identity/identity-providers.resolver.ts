import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { Checks, ChecksEach } from '../common/checks';
import { CurrentActor, Public } from '../common/decorators';
import { IdArgs } from '../common/dto/id.inputs';
import { OrganisationRef } from '../common/dto/organisation-ref.types';
import { MemberRole } from '../common/organisation-type';
import { DatabaseService } from '../database/database.service';
import { LoginThrottlerGuard } from '../auth/login-throttler.guard';
import { organisationRefs } from '../organisations/organisation-refs';
import {
  BeginSignInArgs,
  IdentityProviderTest,
  RequirePhishingResistantArgs,
  SaveIdentityProviderArgs,
  SignInStep,
} from './dto/identity-provider.types';
import { IdentityProvider } from './identity-provider.entity';
import { Organisation } from '../organisations/organisation.entity';
import { IdentityProvidersService } from './identity-providers.service';

const ADMINS = 'Only organisation admins configure its identity provider';
const PLATFORM = 'Only platform administrators approve identity providers';

@Resolver(() => IdentityProvider)
export class IdentityProvidersResolver {
  constructor(
    private readonly service: IdentityProvidersService,
    private readonly db: DatabaseService,
  ) {}

  @Public('an e-mail address: its domain may name an organisation that signs its people in itself')
  @UseGuards(LoginThrottlerGuard)
  @Mutation(() => SignInStep, {
    description:
      "The login page's first step: PASSWORD, or IDENTITY_PROVIDER with the URL of the organisation's provider. Counted in the sign-in throttle.",
  })
  beginSignIn(@Args() args: BeginSignInArgs, @Context('res') res: Response): Promise<SignInStep> {
    return this.service.beginSignIn(args, res);
  }

  @Checks('read', 'IdentityProvider', ADMINS)
  @Query(() => IdentityProvider, { nullable: true, description: "Your organisation's identity provider, if any." })
  identityProvider(@CurrentActor() actor: Actor): Promise<IdentityProvider | null> {
    return this.service.own(actor);
  }

  @Checks('update', 'IdentityProvider', ADMINS)
  @Mutation(() => IdentityProvider, {
    description:
      'Creates or changes it. A change of issuer, client or domains waits for a platform administrator’s approval again.',
  })
  saveIdentityProvider(@CurrentActor() actor: Actor, @Args() { input }: SaveIdentityProviderArgs) {
    return this.service.save(actor, input);
  }

  @Checks('delete', 'IdentityProvider', ADMINS)
  @Mutation(() => Boolean, { description: 'Its people sign in with a password again (those who have one).' })
  deleteIdentityProvider(@CurrentActor() actor: Actor): Promise<boolean> {
    return this.service.remove(actor);
  }

  @Checks('update', 'IdentityProvider', ADMINS)
  @Mutation(() => String, {
    description:
      'Where your browser goes to try a sign-in through it (approved or not); nobody is signed in, the outcome shows as lastTest.',
  })
  testIdentityProvider(@CurrentActor() actor: Actor, @Context('res') res: Response): Promise<string> {
    return this.service.test(actor, res);
  }

  @Checks('update', 'Organisation', ADMINS)
  @Mutation(() => Organisation, {
    description:
      'Its people sign in with a passkey (alone or after the password), or through its provider when it says one was used; TOTP alone no longer opens a session.',
  })
  requirePhishingResistantSignIn(@CurrentActor() actor: Actor, @Args() { required }: RequirePhishingResistantArgs) {
    return this.service.requirePhishingResistant(actor, required);
  }

  @Checks('read', 'IdentityProvider', PLATFORM)
  @Query(() => [IdentityProvider], { description: "Every organisation's provider, those awaiting approval first." })
  identityProviders(@CurrentActor() actor: Actor): Promise<IdentityProvider[]> {
    return this.service.all(actor);
  }

  @ChecksEach('approve', 'IdentityProvider', PLATFORM)
  @Mutation(() => IdentityProvider, {
    description: "Lets the organisation's people sign in through it; a domain may have one provider only.",
  })
  approveIdentityProvider(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<IdentityProvider> {
    return this.service.approve(actor, id);
  }

  @ResolveField(() => OrganisationRef)
  organisation(@Parent() p: IdentityProvider): Promise<OrganisationRef> {
    return organisationRefs(this.db).load(p.organisationId);
  }

  @ResolveField(() => Boolean, { description: 'Whether a client secret is kept (it is never shown)' })
  hasClientSecret(@Parent() p: IdentityProvider): boolean {
    return !!p.clientSecretSealed;
  }

  @ResolveField(() => String, { description: 'The redirect URI to register at the provider' })
  redirectUri(@Parent() p: IdentityProvider): string {
    return this.service.endpoints(p).redirectUri;
  }

  @ResolveField(() => String, { description: 'The back-channel logout URI to register at the provider' })
  backChannelLogoutUri(@Parent() p: IdentityProvider): string {
    return this.service.endpoints(p).backChannelLogoutUri;
  }

  @ResolveField(() => String, { description: 'For private_key_jwt: the key set URL the provider reads our key from' })
  jwksUri(@Parent() p: IdentityProvider): string {
    return this.service.endpoints(p).jwksUri;
  }

  @ResolveField(() => IdentityProviderTest, { nullable: true })
  lastTest(@Parent() p: IdentityProvider): IdentityProviderTest | null {
    const t = p.lastTest;
    return t && { ...t, at: new Date(t.at), role: t.role as MemberRole | null };
  }
}
