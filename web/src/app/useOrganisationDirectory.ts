import { useQuery } from '@apollo/client/react';
import { OrganisationDirectoryDocument } from '../gql/graphql';
import { useConnection } from '../session/useConnection';

/** The alliance's organisations and every port they are in, for the pickers of the feed, compose and alerts. */
export function useOrganisationDirectory() {
  const { nodes: organisations } = useConnection(useQuery(OrganisationDirectoryDocument).data?.organisations);
  const ports = [...new Set(organisations.flatMap((o) => o.ports))].sort();
  return { organisations, ports };
}
