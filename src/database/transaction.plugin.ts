// Nest loads Apollo as ESM; take its types from the same build.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { currentState } from '../common/request-context';
import { DatabaseService } from './database.service';

/**
 * Commits the request's transaction before the response is sent (so a client never reads an answer
 * whose writes are not yet durable), or rolls it back when any error occurred.
 */
export function transactionPlugin(db: DatabaseService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, errors }) {
          const state = currentState();
          if (!state) return;
          const body = response.body;
          const failed =
            Boolean(errors?.length) || (body.kind === 'single' && Boolean(body.singleResult.errors?.length));
          await db.finish(state, !failed);
        },
      };
    },
  };
}
