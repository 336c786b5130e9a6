import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { FederatedSignInService } from './federated-sign-in.service';
import { IdentityController } from './identity.controller';
import { IdentityProvider } from './identity-provider.entity';
import { IdentitySignIn } from './identity-sign-in.entity';
import { UserIdentity } from './user-identity.entity';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { IdentityProvidersResolver } from './identity-providers.resolver';
import { IdentityProvidersService } from './identity-providers.service';
import { ProviderClients } from './provider-clients';

export const IDENTITY_ENTITIES = [IdentityProvider, IdentitySignIn, UserIdentity];

/** Organisations sign their people in through their own OpenID Connect providers. */
@Module({
  imports: [OrganisationsModule],
  controllers: [IdentityController],
  providers: [
    FederatedSignInService,
    IdentityProvidersRepository,
    IdentityProvidersResolver,
    IdentityProvidersService,
    ProviderClients,
  ],
})
export class IdentityModule {}
