import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { from, Observable, switchMap } from 'rxjs';
import { IS_PUBLIC } from '../common/decorators';
import { AuditService } from './audit.service';

/** Secrets, and the personal data of vetting subjects, which may look like identifiers. */
const WITHHELD_KEY = /password|token|totp|code|secret|receipt|recoveryKey|documentNumber|fullName|dateOfBirth/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENUM = /^[A-Z][A-Z0-9_]{0,40}$/;

/**
 * What an audit event keeps of a mutation's arguments: identifiers, enum values, numbers and flags.
 * Free text (bulletin bodies, notes, reasons, e-mails) stays out; secrets and identities are never written.
 */
export function auditArguments(value: unknown, key = ''): unknown {
  if (WITHHELD_KEY.test(key)) return '[redacted]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => auditArguments(v));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, auditArguments(v, k)]));
  }
  if (typeof value === 'string') return UUID.test(value) || ENUM.test(value) ? value : '[text]';
  return value ?? null;
}

/**
 * Every authenticated GraphQL mutation appends an audit event in its own transaction, after it
 * succeeded (a failed mutation rolls back, and its event with it). Public mutations (login,
 * invitations) record their own events, since only they know who acted.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<{ parentType: { name: string }; fieldName: string; returnType: { toString(): string } }>();
    if (info.parentType.name !== 'Mutation') return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]))
      return next.handle();
    const args = gql.getArgs<Record<string, unknown>>();
    const objectType = info.returnType.toString().replace(/[![\]]/g, '');
    return next.handle().pipe(
      switchMap((result) =>
        from(
          this.audit
            .record({
              action: info.fieldName,
              objectType,
              objectId: objectIdOf(result, args),
              subjectOrganisationId: ownerOf(result, objectType),
              details: { arguments: auditArguments(args) as Record<string, unknown> },
            })
            .then(() => result),
        ),
      ),
    );
  }
}

function objectIdOf(result: unknown, args: Record<string, unknown>): string | null {
  const r = result as { id?: unknown; userId?: unknown } | null;
  const id = r?.id ?? r?.userId ?? args.id ?? args.userId ?? null;
  return typeof id === 'string' ? id : null;
}

/** The organisation the object belongs to, so its admins see what others did to it. */
function ownerOf(result: unknown, objectType: string): string | null {
  const r = result as { id?: unknown; authorOrganisationId?: unknown; organisationId?: unknown } | null;
  const owner = objectType === 'Organisation' ? r?.id : (r?.authorOrganisationId ?? r?.organisationId ?? null);
  return typeof owner === 'string' ? owner : null;
}
