/**
 * The feed's address parameters, which a saved view keeps: one list for the console, which reads and
 * writes them, and the server, which stores no other.
 */
export const FEED_VIEW_PARAMETERS = [
  'q',
  'tlp',
  'category',
  'severity',
  'port',
  'author',
  'status',
  'reliability',
  'credibility',
  'awaiting',
  'order',
  'cols',
] as const;

/** The feed's parameters of an address, in the order above, empty ones left out: equal views compare equal. */
export function canonicalFeedQuery(params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const name of FEED_VIEW_PARAMETERS) if (params.get(name)) kept.set(name, params.get(name)!);
  return kept.toString();
}
