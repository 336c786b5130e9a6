import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig } from '../config/config';
import { unauthenticated } from '../common/errors';
import { currentState } from '../common/request-context';
import type { AccessTokenClaims, Actor } from '../common/actor';
import { ActorService } from './actor.service';

export const JWT_ISSUER = 'harbourwatch';
export const JWT_AUDIENCE = 'harbourwatch-api';
/** Only HS256: `none` and algorithm-confusion tokens are refused before the signature check. */
export const ACCESS_TOKEN_CHECKS = { algorithms: ['HS256' as const], issuer: JWT_ISSUER, audience: JWT_AUDIENCE };

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly actors: ActorService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a public key
      // on every single verification.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as string,
      ...ACCESS_TOKEN_CHECKS,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Actor> {
    const actor = await this.actors.resolve(claims);
    if (!actor) throw unauthenticated('Session is no longer valid');
    const state = currentState();
    if (state) state.actor = actor;
    return actor;
  }
}
