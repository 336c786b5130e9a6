import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims, Actor } from '../common/actor';
import { ActorService } from './actor.service';
import { JwtKeys } from './jwt-keys';
import { ACCESS_TOKEN_CHECKS } from './jwt.strategy';

/** For transports outside passport (the WebSocket handshake): the same token checks as the HTTP guard. */
@Injectable()
export class BearerTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: JwtKeys,
    private readonly actors: ActorService,
  ) {}

  /** The actor of an `Authorization: Bearer <token>` value, or null when it is not a live session's. */
  async actorOf(authorization: unknown): Promise<Actor | null> {
    const token = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (!token) return null;
    const key = this.keys.keyFor(token);
    if (!key) return null;
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, {
        ...ACCESS_TOKEN_CHECKS,
        secret: key as unknown as string,
      });
    } catch {
      return null;
    }
    return this.actors.resolve(claims);
  }
}
