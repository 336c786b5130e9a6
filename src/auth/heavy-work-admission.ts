import { GraphQLError, GraphQLObjectType, OperationTypeNode } from 'graphql';
import { ErrorCode } from '../common/errors';
import { Admission, rootFields } from '../common/graphql-limits';
import { DatabaseService } from '../database/database.service';
import { BearerTokenService } from './bearer-token.service';

/**
 * Heavy work (fields marked @HeavyWork) of an organisation whose budget of time is spent is refused
 * before GraphQL reads its arguments: a script looping on cross-matches of a thousand subjects each
 * must not make the server coerce and estimate them to learn that it is refused. The guard still
 * authenticates and takes the share; a caller without a live session is left to it.
 */
export function heavyWorkAdmission(db: DatabaseService, tokens: BearerTokenService): Admission {
  return async ({ operation, document, schema, authorization }) => {
    const root: GraphQLObjectType | null | undefined =
      operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();
    const fields = root?.getFields();
    if (!fields || !rootFields(operation, document).some((f) => fields[f.name.value]?.extensions.heavyWork)) return;
    const actor = await tokens.actorOf(authorization);
    if (!actor) return;
    try {
      await db.assertHeavyWorkBudget(actor.organisationId);
    } catch (err) {
      // Refused before execution, where Apollo answers HTTP 500 unless the error says otherwise.
      if (err instanceof GraphQLError && err.extensions.code === ErrorCode.RATE_LIMITED)
        err.extensions.http = { status: 429, headers: new Map([['retry-after', String(err.extensions.retryAfter)]]) };
      throw err;
    }
  };
}
