import { v5 as uuidv5 } from 'uuid';
import { Tlp, tlpsUpTo } from '../common/tlp';
import { tlpLabel } from '../outbox/mail-templates';

/** TAXII 2.1 media types (OASIS TAXII 2.1, §1.6.8). */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** Objects per page unless the client asks for fewer (and at most this many). */
export const TAXII_PAGE_LIMIT = 1000;

const NAMESPACE = '8e3b3f0a-54c5-4f45-9d60-1b0f2b6c7a11';

export interface TaxiiCollection {
  id: string;
  title: string;
  description: string;
  /** Null: every bulletin the caller may read. */
  tlp: Tlp | null;
  /** The drafts inbox is written to, never read: its objects become drafts, not feed entries. */
  inbox?: boolean;
}

const ALL_TLPS = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED];

/** The collection a caller allowed to write drafts posts STIX to. */
export const INBOX_ID = uuidv5('collection/drafts', NAMESPACE);

/**
 * "Bulletins visible to you", one collection per marking the caller may read (a machine client: up to
 * its own), and for those who may write drafts, the drafts inbox.
 */
export function collectionsFor(maxTlp: Tlp | null, writesDrafts: boolean): TaxiiCollection[] {
  return [
    {
      id: uuidv5('collection/visible', NAMESPACE),
      title: 'Bulletins visible to you',
      description: 'Every published version of every bulletin you may read, each by its own marking.',
      tlp: null,
    },
    ...(maxTlp ? tlpsUpTo(maxTlp) : ALL_TLPS).map((tlp) => ({
      id: uuidv5(`collection/${tlp}`, NAMESPACE),
      title: `${tlpLabel(tlp)} bulletins`,
      description: `The versions marked ${tlpLabel(tlp)} that you may read.`,
      tlp,
    })),
    ...(writesDrafts
      ? [
          {
            id: INBOX_ID,
            title: 'Drafts for your analysts',
            description:
              "STIX posted here becomes draft bulletins of your organisation (reports, or a feed's port indicators) for an analyst to review, mark and publish. Nothing is shared before that.",
            tlp: null,
            inbox: true,
          },
        ]
      : []),
  ];
}

/** The TAXII resource of a collection. */
export const collectionResource = (c: TaxiiCollection) => ({
  id: c.id,
  title: c.title,
  description: c.description,
  can_read: !c.inbox,
  can_write: Boolean(c.inbox),
  media_types: [STIX_MEDIA_TYPE],
});

/**
 * Each version's objects are added to a collection one by one, each with its own `date_added`: the
 * version's time (to the microsecond, in commit order) plus its slot in nanoseconds, so every object
 * has its own place in the collection's order and a page may end between two objects of a version.
 * A version holds at most 500 indicators, so the slots stay within the microsecond.
 */
export const IDENTITY_SLOT = 0;
export const indicatorSlot = (index: number) => index + 1;
export const REPORT_SLOT = 999;

/** The `date_added` of the object in `slot` of a version added at `added` (`…SS.ffffffZ`): nine digits. */
export const dateAdded = (added: string, slot: number) => `${added.slice(0, -1)}${String(slot).padStart(3, '0')}Z`;

/** Where an object is in a feed's order: its version's time, bulletin and number, and its slot. */
export interface FeedCursor {
  added: string;
  bulletinId: string;
  version: number;
  slot: number;
}

/** The order of feed positions (times compare as text: all are written to the microsecond). */
export function comparePositions(a: FeedCursor, b: FeedCursor): number {
  if (a.added !== b.added) return a.added < b.added ? -1 : 1;
  if (a.bulletinId !== b.bulletinId) return a.bulletinId < b.bulletinId ? -1 : 1;
  return a.version - b.version || a.slot - b.slot;
}

export const encodeCursor = (c: FeedCursor) =>
  Buffer.from(`${c.added}|${c.bulletinId}|${c.version}|${c.slot}`, 'utf8').toString('base64url');

/** A cursor, with its slot; one given before slots existed ended with a whole version. */
const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|([0-9a-f-]{36})\|(\d{1,9})(?:\|(\d{1,3}))?$/;

export function decodeCursor(next: string): FeedCursor | null {
  const match = CURSOR.exec(Buffer.from(next, 'base64url').toString('utf8'));
  return match
    ? { added: match[1], bulletinId: match[2], version: Number(match[3]), slot: Number(match[4] ?? REPORT_SLOT) }
    : null;
}

/**
 * `added_after` as a point in the feed's order: its microsecond (what Postgres compares) and the
 * nanoseconds beyond it (the slot an object must exceed within a version added in that microsecond).
 */
export function addedAfterPoint(timestamp: string): { added: string; slot: number } {
  const [seconds, fraction = ''] = timestamp.slice(0, -1).split('.');
  const digits = fraction.padEnd(9, '0');
  return { added: `${seconds}.${digits.slice(0, 6)}Z`, slot: Number(digits.slice(6, 9)) };
}

/** A TAXII timestamp filter (RFC 3339, as STIX writes them), or null. */
export const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

/** match[version]: the versions to return of each object (TAXII 2.1 §3.4.1). */
export type VersionMatch = 'last' | 'first' | 'all';
