import { registerEnumType } from '@nestjs/graphql';

export enum BulletinCategory {
  INSIDER_THREAT = 'INSIDER_THREAT',
  PIN_FRAUD = 'PIN_FRAUD',
  CONTAINER_CLONING = 'CONTAINER_CLONING',
  EXTRACTION_TEAM = 'EXTRACTION_TEAM',
  CORRUPTION_ATTEMPT = 'CORRUPTION_ATTEMPT',
  CYBER_INTRUSION = 'CYBER_INTRUSION',
  SUSPICIOUS_CARGO = 'SUSPICIOUS_CARGO',
  OTHER = 'OTHER',
}

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

registerEnumType(BulletinCategory, { name: 'BulletinCategory' });
registerEnumType(Severity, { name: 'Severity', description: 'OASIS CAP 1.2 severity' });
registerEnumType(Urgency, { name: 'Urgency', description: 'OASIS CAP 1.2 urgency' });
registerEnumType(Certainty, { name: 'Certainty', description: 'OASIS CAP 1.2 certainty' });
registerEnumType(BulletinStatus, { name: 'BulletinStatus' });
