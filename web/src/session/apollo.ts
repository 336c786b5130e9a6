import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { freshToken, refresh, sessionLost } from './session';

const unauthenticated = async (response: Response) => {
  const answer = (await response
    .clone()
    .json()
    .catch(() => null)) as { errors?: { extensions?: { code?: string; caseKeysLocked?: boolean } }[] } | null;
  // Locked case keys are not a lost session: the case desk asks for the password instead.
  return answer?.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED' && !e.extensions.caseKeysLocked) ?? false;
};

/** Every API call carries the in-memory access token; a refused one is refreshed once, then the session is over. */
async function authenticatedFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const send = async () => {
    const token = await freshToken();
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers, credentials: 'same-origin' });
  };
  let response = await send();
  if (await unauthenticated(response)) {
    if (await refresh()) response = await send();
    else sessionLost();
  }
  return response;
}

/** Lists that grow page by page (infinite scroll): pages append, each filter is its own list. */
const connection = (keyArgs: string[]) => ({
  keyArgs,
  merge(
    existing: { edges: unknown[] } | undefined,
    incoming: { edges: unknown[] },
    { args }: { args: Record<string, unknown> | null },
  ) {
    return args?.after && existing ? { ...incoming, edges: [...existing.edges, ...incoming.edges] } : incoming;
  },
});

export function createApolloClient(): ApolloClient {
  const http = new HttpLink({ uri: '/graphql', fetch: authenticatedFetch });
  const ws = new GraphQLWsLink(
    createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      connectionParams: async () => {
        const token = await freshToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
    }),
  );
  const link = ApolloLink.split(({ query }) => isSubscriptionOperation(query), ws, http);
  return new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            bulletins: connection(['filter']),
            // `first` too: the CSV export walks the same filter in larger pages, apart from the desk's list.
            auditEvents: connection(['filter', 'first']),
            alertSubscriptions: connection(['userId']),
            vettingRecords: connection(['filter']),
            whistleblowerCases: connection(['filter']),
          },
        },
        // Versions and indicators are values of their bulletin, not objects of their own.
        BulletinVersion: { keyFields: false },
        Indicator: { keyFields: false },
      },
    }),
  });
}
