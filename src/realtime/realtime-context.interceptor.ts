import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Actor } from '../auth/actor';
import { DatabaseService } from '../database/database.service';
import { currentState } from '../database/request-context';

/**
 * Field resolvers of a real-time event run outside any HTTP request, so they would reach the database
 * with no identity (and row-level security would show them nothing). This gives each of them a request
 * transaction of its own, as the subscriber.
 */
@Injectable()
export class RealtimeContextInterceptor implements NestInterceptor {
  constructor(private readonly db: DatabaseService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql' || currentState()) return next.handle();
    const ctx = GqlExecutionContext.create(context).getContext<{ realtime?: boolean; req?: { user?: Actor } }>();
    const actor = ctx.req?.user;
    if (!ctx.realtime || !actor) return next.handle();
    return from(this.db.withRequest({ actor }, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
