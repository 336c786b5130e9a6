import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { forbidden, unauthenticated } from '../common/errors';
import { AbilityFactory } from '../sharing/ability.factory';
import { Check, CHECK } from '../common/checks';
import type { Actor } from '../common/actor';
import { currentState } from '../common/request-context';
import {
  ALLOW_WITHOUT_MFA,
  HEAVY_WORK,
  IS_PUBLIC,
  MACHINE_CLIENTS,
  OPTIONAL_AUTH,
  requestOf,
  SIGNED_IN,
} from '../common/decorators';
import { MachineClientsService } from './machine-clients.service';
import { DatabaseService } from '../database/database.service';

/**
 * How a machine client's API key arrives (a person's access token is a JWT, never this): as a bearer
 * token, or as the password of HTTP Basic, which TAXII 2.1 (§1.6.9) requires servers to accept.
 */
function apiKeyOf(authorization: string): string | undefined {
  const bearer = /^Bearer (hwk_\S+)$/.exec(authorization)?.[1];
  if (bearer) return bearer;
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization)?.[1];
  const password = basic && Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':');
  return password && /^hwk_\S+$/.test(password) ? password : undefined;
}

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
    private readonly machines: MachineClientsService,
    private readonly db: DatabaseService,
  ) {
    super();
  }

  getRequest(context: ExecutionContext) {
    return requestOf(context);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const check = this.reflector.getAllAndOverride<Check | undefined>(CHECK, targets);
    const key = apiKeyOf(String(requestOf(context).headers?.authorization ?? ''));
    if (key) return this.machineClient(context, key, check);
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
      !actor.hasSecondFactor &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_WITHOUT_MFA, targets)
    ) {
      throw forbidden(
        'Platform administrators must set up a second factor first: a passkey, or TOTP (enrolTotp, confirmTotp)',
      );
    }
    if (actor.enrolmentOnly && !this.reflector.getAllAndOverride<boolean>(ALLOW_WITHOUT_MFA, targets))
      throw forbidden('Your organisation requires a passkey: add one on the Security desk, then sign in with it', {
        passkeyFirst: true,
      });
    this.assertRoleMay(actor, check);
    if (this.reflector.getAllAndOverride<boolean>(HEAVY_WORK, targets)) await this.db.heavyShare(actor.organisationId);
    return true;
  }

  /** A machine client's API key: accepted on the routes that say so (the exports) and nowhere else. */
  private async machineClient(context: ExecutionContext, key: string, check: Check | undefined): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (!this.reflector.getAllAndOverride<boolean>(MACHINE_CLIENTS, targets))
      throw unauthenticated('API keys are accepted by the export routes only');
    const req = requestOf(context);
    const actor = await this.machines.authenticate(key, { method: req.method, path: req.path });
    if (!actor) throw unauthenticated('The API key is not valid, has expired or was revoked');
    req.user = actor;
    const state = currentState();
    if (state) state.actor = actor;
    this.assertRoleMay(actor, check);
    return true;
  }

  /** `@Checks`: a role that can never be allowed the action is refused at the gate. */
  private assertRoleMay(actor: Actor, check: Check | undefined): void {
    if (check?.atGate && !this.abilities.forRole(actor).can(check.action, check.subject)) throw forbidden(check.who);
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err instanceof Error ? err : unauthenticated();
    if (!user) throw unauthenticated();
    return user;
  }
}
