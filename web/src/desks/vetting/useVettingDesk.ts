import { useQuery } from '@apollo/client/react';
import { ViewerDocument } from '../../gql/graphql';
import { isVettingOfficer, isWriter } from '../../session/roles';

/**
 * What the vetting desks offer the caller, as the server's ability decides it: analysts and admins
 * read their organisation's records; those of a vetting authority also record, decide and cross-match;
 * its admins set the retention rule. Undefined until the viewer is known.
 */
export function useVettingDesk() {
  const me = useQuery(ViewerDocument).data?.me;
  if (!me) return undefined;
  const authority = isVettingOfficer(me);
  return {
    reader: isWriter(me),
    authority,
    admin: authority && me.role === 'ORG_ADMIN',
    organisationId: me.organisation?.id,
  };
}
