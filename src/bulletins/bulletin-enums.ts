import { registerEnumType } from '@nestjs/graphql';

/** OASIS CAP 1.2 severity, in increasing order. */
export enum Severity {
  MINOR = 'MINOR',
  MODERATE = 'MODERATE',
  SEVERE = 'SEVERE',
  EXTREME = 'EXTREME',
}

export enum Urgency {
  IMMEDIATE = 'IMMEDIATE',
  EXPECTED = 'EXPECTED',
  FUTURE = 'FUTURE',
  PAST = 'PAST',
  UNKNOWN = 'UNKNOWN',
}

export enum Certainty {
  OBSERVED = 'OBSERVED',
  LIKELY = 'LIKELY',
  POSSIBLE = 'POSSIBLE',
  UNLIKELY = 'UNLIKELY',
  UNKNOWN = 'UNKNOWN',
}

/** Stored states; EXPIRED is derived from validUntil when read, so it can never be stale. */
export enum BulletinStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  RETRACTED = 'RETRACTED',
  EXPIRED = 'EXPIRED',
}

const SEVERITY_ORDER = [Severity.MINOR, Severity.MODERATE, Severity.SEVERE, Severity.EXTREME];

/** The severities at or above `min`. */
export const severitiesFrom = (min: Severity): Severity[] => SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(min));

/** The feed's orders; each pages by its own keys (bulletin-queries.service). */
export enum BulletinOrder {
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
  SEVERITY = 'SEVERITY',
  RESPONSE_DUE = 'RESPONSE_DUE',
}

registerEnumType(Severity, { name: 'Severity', description: 'OASIS CAP 1.2 severity' });
registerEnumType(BulletinOrder, {
  name: 'BulletinOrder',
  description: 'How the feed is sorted',
  valuesMap: {
    NEWEST: { description: 'Most recently published or revised first (the default)' },
    OLDEST: { description: 'Least recently published or revised first' },
    SEVERITY: { description: 'Most severe first, then newest' },
    RESPONSE_DUE: { description: 'Earliest response deadline first; bulletins asking no response last' },
  },
});
registerEnumType(Urgency, { name: 'Urgency', description: 'OASIS CAP 1.2 urgency' });
registerEnumType(Certainty, { name: 'Certainty', description: 'OASIS CAP 1.2 certainty' });
registerEnumType(BulletinStatus, { name: 'BulletinStatus' });

/** The source's reliability, as police analysts grade it (the Admiralty scale). */
export enum SourceReliability {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
  E = 'E',
  F = 'F',
}

/** The information's credibility (the Admiralty scale, stored as its digit). */
export enum InformationCredibility {
  CONFIRMED = '1',
  PROBABLY_TRUE = '2',
  POSSIBLY_TRUE = '3',
  DOUBTFUL = '4',
  IMPROBABLE = '5',
  CANNOT_BE_JUDGED = '6',
}

/** What a recipient organisation did about a bulletin it was asked to act on. */
export enum ResponseAction {
  NO_ACTION_NEEDED = 'NO_ACTION_NEEDED',
  CHECKED_NOT_FOUND = 'CHECKED_NOT_FOUND',
  BADGE_SUSPENDED = 'BADGE_SUSPENDED',
  ACCESS_REVOKED = 'ACCESS_REVOKED',
  CONTAINER_HELD = 'CONTAINER_HELD',
  PIN_RESET = 'PIN_RESET',
  REFERRED_TO_POLICE = 'REFERRED_TO_POLICE',
  OTHER = 'OTHER',
}

export enum SightingKind {
  SEEN = 'SEEN',
  FALSE_POSITIVE = 'FALSE_POSITIVE',
}

registerEnumType(SourceReliability, {
  name: 'SourceReliability',
  description: 'Admiralty scale: A completely reliable … E unreliable, F cannot be judged',
  valuesMap: {
    A: { description: 'Completely reliable' },
    B: { description: 'Usually reliable' },
    C: { description: 'Fairly reliable' },
    D: { description: 'Not usually reliable' },
    E: { description: 'Unreliable' },
    F: { description: 'Reliability cannot be judged' },
  },
});
registerEnumType(InformationCredibility, {
  name: 'InformationCredibility',
  description: 'Admiralty scale 1-6: 1 confirmed by other sources … 6 truth cannot be judged',
  valuesMap: {
    CONFIRMED: { description: '1: confirmed by other sources' },
    PROBABLY_TRUE: { description: '2: probably true' },
    POSSIBLY_TRUE: { description: '3: possibly true' },
    DOUBTFUL: { description: '4: doubtful' },
    IMPROBABLE: { description: '5: improbable' },
    CANNOT_BE_JUDGED: { description: '6: truth cannot be judged' },
  },
});
registerEnumType(ResponseAction, { name: 'ResponseAction' });
registerEnumType(SightingKind, { name: 'SightingKind' });
