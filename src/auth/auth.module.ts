import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ActorService } from './actor.service';
import { AuthGuard } from './auth.guard';
import { AuthResolver } from './auth.resolver';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { BearerTokenService } from './bearer-token.service';
import { JwtKeys, secretKid } from './jwt-keys';
import { JWT_AUDIENCE, JWT_ISSUER, JwtStrategy } from './jwt.strategy';
import { MachineClientsRepository } from './machine-clients.repository';
import { MachineClientsResolver } from './machine-clients.resolver';
import { MachineClientsService } from './machine-clients.service';
import { ExportAllowance } from './export-allowance';
import { PasswordService } from './password.service';
import { SessionGateService } from './session-gate.service';
import { SessionSecrets } from './session-secrets';
import { Passkey } from './passkey.entity';
import { PasskeysResolver } from './passkeys.resolver';
import { PasskeysService } from './passkeys.service';
import { WebAuthnChallenge } from './webauthn-challenge.entity';
import { RecoveryCode } from './recovery-code.entity';
import { RecoveryCodesService } from './recovery-codes.service';
import { ProviderRechecks } from './provider-recheck';
import { TotpService } from './totp.service';
import { User } from './user.entity';
import { Session } from './session.entity';
import { RefreshToken } from './refresh-token.entity';
import { LoginFailure } from './login-failure.entity';
import { MachineClient } from './machine-client.entity';
import { RequestCount } from './request-count.entity';
import { RequestCounts } from './request-counts';
import { DatabaseService } from '../database/database.service';

export const AUTH_ENTITIES = [
  User,
  Session,
  RefreshToken,
  LoginFailure,
  MachineClient,
  RequestCount,
  Passkey,
  WebAuthnChallenge,
  RecoveryCode,
];

@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: {
          algorithm: 'HS256',
          keyid: secretKid(config.jwtSecret),
          expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
        },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, DatabaseService],
      useFactory: (config: AppConfig, db: DatabaseService) => ({
        throttlers: [{ name: 'login', limit: config.LOGIN_RATE_LIMIT, ttl: config.LOGIN_RATE_WINDOW_SECONDS * 1000 }],
        storage: new RequestCounts(db),
      }),
    }),
  ],
  providers: [
    ActorService,
    AuthRepository,
    AuthService,
    AuthResolver,
    BearerTokenService,
    { provide: JwtKeys, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new JwtKeys(config.jwtSecrets) },
    JwtStrategy,
    MachineClientsRepository,
    MachineClientsResolver,
    MachineClientsService,
    PasskeysResolver,
    PasskeysService,
    PasswordService,
    RecoveryCodesService,
    RequestCounts,
    ExportAllowance,
    SessionGateService,
    SessionSecrets,
    ProviderRechecks,
    TotpService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [
    AuthService,
    ActorService,
    ExportAllowance,
    BearerTokenService,
    PasswordService,
    SessionGateService,
    SessionSecrets,
    ProviderRechecks,
  ],
})
export class AuthModule {}
