import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Extensions, GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { unauthenticated } from './errors';
import type { Actor } from './actor';

export const IS_PUBLIC = 'harbourwatch:public';
export const ALLOW_WITHOUT_MFA = 'harbourwatch:allow-without-mfa';

/** The few operations that need no token (login, accepting an invitation, health); `how` says what guards them instead. */
export const Public = (how = 'anyone') => SetMetadata(IS_PUBLIC, how);

export const SIGNED_IN = 'harbourwatch:signed-in';

/** Any signed-in user, whatever their role: operations on the caller's own account and sessions. */
export const SignedIn = () => SetMetadata(SIGNED_IN, true);

export const OPTIONAL_AUTH = 'harbourwatch:optional-auth';

/** Public, but a request that brings an access token is authenticated with it (and refused if it is invalid). */
export const OptionalAuth =
  (how: string) => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    Public(how)(target, key!, descriptor!);
    SetMetadata(OPTIONAL_AUTH, true)(target, key!, descriptor!);
  };

export const HEAVY_WORK = 'harbourwatch:heavy-work';

/**
 * Heavy work (cross-matches, imports). Before GraphQL reads its arguments, a request for it is refused
 * while its organisation's budget of time is spent (auth/heavy-work-admission, which finds it by the
 * field's `heavyWork` extension); then the gate takes a place in the organisation's share
 * (DatabaseService.heavyShare) before the arguments are validated. Work beyond either is refused for
 * the price of a query, not of checking a thousand subjects.
 */
export const HeavyWork = () => applyDecorators(SetMetadata(HEAVY_WORK, true), Extensions({ heavyWork: true }));

export const MACHINE_CLIENTS = 'harbourwatch:machine-clients';

/** Routes a machine client may call with its API key (the exports); every other route refuses a key. */
export const MachineClients = () => SetMetadata(MACHINE_CLIENTS, true);

/** Operations a platform admin may use before confirming TOTP (enrolment itself, `me`, logout). */
export const AllowWithoutMfa = () => SetMetadata(ALLOW_WITHOUT_MFA, true);

export function requestOf(context: ExecutionContext): Request {
  return context.getType<string>() === 'graphql'
    ? GqlExecutionContext.create(context).getContext<{ req: Request }>().req
    : context.switchToHttp().getRequest<Request>();
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = requestOf(context).user as Actor | undefined;
  if (!actor) throw unauthenticated();
  return actor;
});
