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
