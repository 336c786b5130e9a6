import { useMemo } from 'react';

/** A Relay connection as every list query returns it. */
interface Connection<Node> {
  edges: readonly { node: Node }[];
  /** Asked for by the lists that page. */
  pageInfo?: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * The nodes of a connection, and `more` to load its next page (null when there is none). The page is
 * appended by the field's type policy (`connection(...)` in session/apollo.ts).
 */
export function useConnection<Node>(
  connection: Connection<Node> | undefined,
  fetchMore?: (options: { variables: { after: string | null } }) => Promise<unknown>,
): { nodes: Node[]; more: (() => void) | null } {
  return useMemo(() => {
    const endCursor = connection?.pageInfo?.endCursor ?? null;
    return {
      nodes: connection?.edges.map((e) => e.node) ?? [],
      more:
        fetchMore && connection?.pageInfo?.hasNextPage
          ? () => void fetchMore({ variables: { after: endCursor } })
          : null,
    };
  }, [connection, fetchMore]);
}
