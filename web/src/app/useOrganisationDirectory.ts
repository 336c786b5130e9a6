import { useQuery } from '@apollo/client/react';
import { OrganisationDirectoryDocument } from '../gql/graphql';

/** The alliance's organisations and every port they are in, for the pickers of the feed, compose and alerts. */
export function useOrganisationDirectory() {
  const organisations = useQuery(OrganisationDirectoryDocument).data?.organisations.edges.map((e) => e.node) ?? [];
  const ports = [...new Set(organisations.flatMap((o) => o.ports))].sort();
  return { organisations, ports };
}
