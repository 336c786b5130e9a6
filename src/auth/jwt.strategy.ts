import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { unauthenticated } from '../common/errors';
import { currentState } from '../common/request-context';
import type { AccessTokenClaims, Actor } from '../common/actor';
import { ActorService } from './actor.service';
import { JwtKeys } from './jwt-keys';

export const JWT_ISSUER = 'harbourwatch';
export const JWT_AUDIENCE = 'harbourwatch-api';
/** Only HS256: `none` and algorithm-confusion tokens are refused before the signature check. */
export const ACCESS_TOKEN_CHECKS = { algorithms: ['HS256' as const], issuer: JWT_ISSUER, audience: JWT_AUDIENCE };

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: JwtKeys,
    private readonly actors: ActorService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request: unknown, token: string, done: (err: unknown, key?: string) => void) => {
        const key = keys.keyFor(token);
        if (key) done(null, key as unknown as string);
        else done(unauthenticated('The token names no key of this platform'));
      },
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
