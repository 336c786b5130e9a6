import depthLimit from 'graphql-depth-limit';
import {
  DocumentNode,
  getOperationAST,
  OperationTypeNode,
  GraphQLError,
  GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { BearerTokenService } from '../auth/bearer-token.service';
import { AppError, badInput, ErrorCode } from '../common/errors';
import { formatError } from '../common/format-error';
import { assertAffordable, introspectionDepthLimit } from '../common/graphql-limits';

export interface RealtimeLimits {
  maxDepth: number;
  maxCost: number;
  introspection: boolean;
  perConnection: number;
  perUser: number;
}

interface Extra {
  socket: unknown;
  actor?: Actor;
}
type WsContext = Context<Record<string, unknown> | undefined, unknown>;
const extraOf = (ctx: WsContext) => ctx.extra as Extra;

/**
 * The WebSocket's gate (ARCHITECTURE.md §4): only authenticated connections, only subscriptions (queries
 * and mutations go over HTTP, through its transaction, audit and limits), the same depth, cost and
 * introspection limits as HTTP, the same closed set of error codes, and a cap on subscriptions per
 * connection and per user so one member cannot make every publish slow for everyone.
 */
export class RealtimeGate {
  /** Live connections per user on this instance; graphql-ws keeps each one's subscriptions. */
  private readonly connections = new Map<string, Set<WsContext>>();

  constructor(
    private readonly tokens: BearerTokenService,
    private readonly schemaOf: () => GraphQLSchema,
    private readonly limits: RealtimeLimits,
  ) {}

  /**
   * graphql-ws server options; `track` sees every socket (graceful shutdown closes them). Nest's type
   * names fewer hooks than it passes on to graphql-ws (onError among them).
   */
  options(track: (socket: never) => void): GraphQLWsSubscriptionsConfig {
    const options = {
      path: '/graphql',
      onConnect: async (ctx: WsContext) => {
        track(extraOf(ctx).socket as never);
        const actor = await this.tokens.actorOf(ctx.connectionParams?.authorization);
        if (!actor) return false; // graphql-ws closes with 4403 Forbidden
        extraOf(ctx).actor = actor;
        this.connections.set(actor.userId, (this.connections.get(actor.userId) ?? new Set()).add(ctx));
        return true;
      },
      onClose: (ctx: WsContext) => {
        const userId = extraOf(ctx).actor?.userId;
        const mine = userId ? this.connections.get(userId) : undefined;
        mine?.delete(ctx);
        if (userId && !mine?.size) this.connections.delete(userId);
      },
      onSubscribe: (ctx: WsContext, _id: string, payload: SubscribePayload) => {
        try {
          this.admit(ctx, payload);
          return undefined;
        } catch (err) {
          return [err instanceof GraphQLError ? err : badInput(String(err))];
        }
      },
      onError: (_ctx: WsContext, _id: string, _payload: SubscribePayload, errors: readonly GraphQLError[]) =>
        errors.map(format),
      onNext: (
        _ctx: WsContext,
        _id: string,
        _payload: SubscribePayload,
        _args: unknown,
        result: { errors?: readonly GraphQLError[] },
      ) => (result.errors ? { ...result, errors: result.errors.map(format) } : undefined),
    };
    return options;
  }

  private admit(ctx: WsContext, payload: SubscribePayload): void {
    // The caps first: a member opening thousands of subscriptions must not have each one parsed and
    // validated to be refused (graphql-ws handles a socket's messages in one go, holding the event loop).
    // graphql-ws has registered this subscription already: the counts include it.
    if (Object.keys(ctx.subscriptions).length > this.limits.perConnection) {
      throw new AppError(ErrorCode.RATE_LIMITED, `At most ${this.limits.perConnection} subscriptions per connection`);
    }
    const userId = extraOf(ctx).actor!.userId;
    const held = [...(this.connections.get(userId) ?? [])].reduce((n, c) => n + Object.keys(c.subscriptions).length, 0);
    if (held > this.limits.perUser) {
      throw new AppError(ErrorCode.RATE_LIMITED, `At most ${this.limits.perUser} subscriptions per user`);
    }
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (err) {
      throw badInput(err instanceof GraphQLError ? err.message : 'The query could not be parsed');
    }
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) throw badInput('Name the operation to run');
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      throw badInput('The WebSocket carries subscriptions only: send queries and mutations over HTTP');
    }
    const schema = this.schemaOf();
    const rules = [
      ...specifiedRules,
      depthLimit(this.limits.maxDepth),
      introspectionDepthLimit,
      ...(this.limits.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ];
    const [invalid] = validate(schema, document, rules);
    if (invalid) throw badInput(invalid.message);
    assertAffordable(this.limits.maxCost, schema, document, payload.variables ?? undefined, payload.operationName);
  }
}

/** HTTP's error formatting; an error thrown inside a stream arrives wrapped by graphql-ws. */
function format(error: GraphQLError) {
  const inner = error.originalError instanceof GraphQLError ? error.originalError : error;
  return formatError(inner.toJSON(), inner);
}
