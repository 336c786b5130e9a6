import type { BulletinFilter, BulletinOrder, FeedBulletinFragment, Severity } from '../../gql/graphql';
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

/** The feed's orders, as the address keeps them (?order=SEVERITY); newest first without one. */
export const ORDERS: BulletinOrder[] = ['NEWEST', 'OLDEST', 'SEVERITY', 'RESPONSE_DUE'];

export function orderFrom(params: URLSearchParams): BulletinOrder {
  return ORDERS.find((o) => o === params.get('order')) ?? 'NEWEST';
}

/** The table's columns, in their order; the person picks which to show (?cols=tlp,title,...). */
export const COLUMNS = [
  'tlp',
  'grading',
  'severity',
  'title',
  'author',
  'category',
  'ports',
  'published',
  'status',
  'responseDue',
  'state',
] as const;
export type Column = (typeof COLUMNS)[number];
export const DEFAULT_COLUMNS: Column[] = ['tlp', 'severity', 'title', 'author', 'category', 'published', 'state'];

export function columnsFrom(params: URLSearchParams): Column[] {
  const chosen = list(params, 'cols').filter((c): c is Column => (COLUMNS as readonly string[]).includes(c));
  return chosen.length ? COLUMNS.filter((c) => chosen.includes(c)) : DEFAULT_COLUMNS;
}

/** TLP:AMBER+STRICT, as the standard writes it. */
export const tlpLabel = (level: string) => `TLP:${level.replace('_', '+')}`;
