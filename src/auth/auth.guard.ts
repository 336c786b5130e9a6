import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { forbidden, unauthenticated } from '../common/errors';
import { AbilityFactory } from '../sharing/ability.factory';
import { Check, CHECK } from '../sharing/checks';
import type { Actor } from './actor';
import { ALLOW_WITHOUT_MFA, IS_PUBLIC, OPTIONAL_AUTH, requestOf, SIGNED_IN } from './decorators';

/**
 * Global guard, the one gate of every GraphQL operation and HTTP route: each declares `@Public`,
 * `@SignedIn` or `@Checks` (an undeclared one is refused: fail closed). Everything not public needs a
 * valid access token (also when one is brought to an `@OptionalAuth` route), platform admins need TOTP,
 * and `@Checks` refuses a role that can never be allowed the action (`@ChecksEach` leaves the decision on
 * each object to the service).
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilityFactory,
  ) {
    super();
  }

  getRequest(context: ExecutionContext) {
    return requestOf(context);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const check = this.reflector.getAllAndOverride<Check | undefined>(CHECK, targets);
    if (this.reflector.getAllAndOverride<string | undefined>(IS_PUBLIC, targets)) {
      const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets);
      if (!optional || !requestOf(context).headers?.authorization) return true;
    } else if (!check && !this.reflector.getAllAndOverride<boolean>(SIGNED_IN, targets)) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no check`);
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
    if (check?.atGate && !this.abilities.forRole(actor).can(check.action, check.subject)) throw forbidden(check.who);
    return true;
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err instanceof Error ? err : unauthenticated();
    if (!user) throw unauthenticated();
    return user;
  }
}
