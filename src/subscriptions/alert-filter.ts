import { Bulletin } from '../bulletins/bulletin.entity';
import { severitiesFrom } from '../bulletins/bulletin-enums';
import { AlertFilter, AlertSubscription } from './alert-subscription.entity';

export type FilterFields = Pick<
  AlertSubscription,
  'categories' | 'minSeverity' | 'ports' | 'organisationTypes' | 'authorOrganisationIds'
>;

/**
 * Does a bulletin match a subscription's filter? Each filter kind narrows (AND); values within a kind
 * widen (OR); an empty kind does not constrain. This says what the subscriber asked for, not what they
 * may see: delivery checks the subscriber's ability separately, at delivery time.
 */
export function matchesAlertFilter(
  filter: FilterFields,
  bulletin: Pick<Bulletin, 'category' | 'severity' | 'ports' | 'authorOrganisationId'>,
  authorOrganisationType: string,
): boolean {
  return (
    (!filter.categories.length || filter.categories.includes(bulletin.category)) &&
    (!filter.minSeverity || severitiesFrom(filter.minSeverity).includes(bulletin.severity)) &&
    (!filter.ports.length || filter.ports.some((p) => bulletin.ports.includes(p))) &&
    (!filter.organisationTypes.length || filter.organisationTypes.includes(authorOrganisationType as never)) &&
    (!filter.authorOrganisationIds.length || filter.authorOrganisationIds.includes(bulletin.authorOrganisationId))
  );
}

/** The filter fields of a subscription or webhook, as GraphQL shows them. */
export const alertFilterOf = (f: FilterFields): AlertFilter => ({
  categories: f.categories,
  minSeverity: f.minSeverity,
  ports: f.ports,
  organisationTypes: f.organisationTypes,
  authorOrganisationIds: f.authorOrganisationIds,
});
