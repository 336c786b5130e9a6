import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { forbidden, unauthenticated } from '../common/errors';
import type { Actor } from './actor';
import { ALLOW_WITHOUT_MFA, IS_PUBLIC, OPTIONAL_AUTH, requestOf } from './decorators';

/** Global guard: a valid access token on everything not marked @Public (or brought to an @OptionalAuth route), and TOTP for platform admins. */
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  getRequest(context: ExecutionContext) {
    return requestOf(context);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets);
      if (!optional || !requestOf(context).headers?.authorization) return true;
    }
    await super.canActivate(context);
    const actor = requestOf(context).user as Actor;
    if (
      actor.isPlatformAdmin &&
      !actor.totpEnabled &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_WITHOUT_MFA, targets)
    ) {
      throw forbidden('Platform administrators must enrol and confirm TOTP first (enrolTotp, confirmTotp)');
    }
    return true;
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err instanceof Error ? err : unauthenticated();
    if (!user) throw unauthenticated();
    return user;
  }
}
