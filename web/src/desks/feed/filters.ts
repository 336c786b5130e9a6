import type { BulletinFilter, FeedBulletinFragment, Severity } from '../../gql/graphql';
import { SEVERITIES } from '../../format/enums';

const list = (params: URLSearchParams, name: string) => params.get(name)?.split(',').filter(Boolean) ?? [];

/** The feed's filter as the address keeps it (?tlp=RED,AMBER&category=...&severity=SEVERE&port=NLRTM&reliability=A,B&credibility=CONFIRMED&awaiting=1&q=...). */
export function filterFrom(params: URLSearchParams): BulletinFilter {
  const filter: BulletinFilter = {};
  const tlp = list(params, 'tlp');
  const categories = list(params, 'category');
  const ports = list(params, 'port');
  if (tlp.length) filter.tlp = tlp as BulletinFilter['tlp'];
  if (categories.length) filter.categories = categories as BulletinFilter['categories'];
  if (ports.length) filter.ports = ports;
  if (params.get('severity')) filter.minSeverity = params.get('severity') as Severity;
  if (params.get('author')) filter.authorOrganisationId = params.get('author');
  if (params.get('status')) filter.status = params.get('status') as BulletinFilter['status'];
  const reliability = list(params, 'reliability');
  if (reliability.length) filter.sourceReliability = reliability as BulletinFilter['sourceReliability'];
  const credibility = list(params, 'credibility');
  if (credibility.length) filter.informationCredibility = credibility as BulletinFilter['informationCredibility'];
  if (params.get('awaiting') === '1') filter.awaitingResponse = true;
  if (params.get('q')) filter.text = params.get('q');
  return filter;
}

/**
 * Whether a bulletin that just arrived belongs in the filtered feed. Text and awaited responses are
 * matched by the server only: such a live bulletin is counted, and the refreshed page decides.
 */
export function matches(filter: BulletinFilter, b: FeedBulletinFragment): boolean {
  if (filter.tlp?.length && !filter.tlp.includes(b.tlp)) return false;
  if (filter.categories?.length && !filter.categories.includes(b.category)) return false;
  if (filter.ports?.length && !b.ports.some((p) => filter.ports!.includes(p))) return false;
  if (filter.minSeverity && SEVERITIES.indexOf(b.severity) > SEVERITIES.indexOf(filter.minSeverity)) return false;
  if (filter.authorOrganisationId && b.authorOrganisation.id !== filter.authorOrganisationId) return false;
  if (filter.status && filter.status !== b.status) return false;
  if (filter.sourceReliability?.length && !filter.sourceReliability.includes(b.sourceReliability)) return false;
  if (filter.informationCredibility?.length && !filter.informationCredibility.includes(b.informationCredibility))
    return false;
  return true;
}
