import type { ApolloClient, OperationVariables, TypedDocumentNode } from '@apollo/client';

interface Page<TNode> {
  edges: readonly { node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Every row of a connection, page by page (each within the server's query cost limit), up to `limit`
 * rows: what an export writes to a file.
 */
export async function allPages<TData, TVariables extends OperationVariables, TNode>(
  client: ApolloClient,
  query: TypedDocumentNode<TData, TVariables>,
  variables: Omit<TVariables, 'first' | 'after'>,
  connection: (data: TData) => Page<TNode>,
  { pageSize = 100, limit = 5000 } = {},
): Promise<TNode[]> {
  const rows: TNode[] = [];
  let after: string | null | undefined = null;
  do {
    const page = await client.query({
      query,
      variables: { ...variables, first: pageSize, after } as unknown as TVariables,
      fetchPolicy: 'network-only',
    });
    const c = connection(page.data as TData);
    rows.push(...c.edges.map((e) => e.node));
    after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
  } while (after && rows.length < limit);
  return rows;
}
