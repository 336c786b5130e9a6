import type {
  BulletinCategory,
  BulletinStatus,
  Certainty,
  IndicatorType,
  InvitationStatus,
  MemberRole,
  OrganisationType,
  Severity,
  Urgency,
} from '../gql/graphql';

// The enums' values, in the order the console offers them (most severe, most common first).
export const CATEGORIES: BulletinCategory[] = [
  'INSIDER_THREAT',
  'CORRUPTION_ATTEMPT',
  'PIN_FRAUD',
  'CONTAINER_CLONING',
  'EXTRACTION_TEAM',
  'SUSPICIOUS_CARGO',
  'CYBER_INTRUSION',
  'OTHER',
];
export const SEVERITIES: Severity[] = ['EXTREME', 'SEVERE', 'MODERATE', 'MINOR'];
export const URGENCIES: Urgency[] = ['IMMEDIATE', 'EXPECTED', 'FUTURE', 'PAST', 'UNKNOWN'];
export const CERTAINTIES: Certainty[] = ['OBSERVED', 'LIKELY', 'POSSIBLE', 'UNLIKELY', 'UNKNOWN'];
export const STATUSES: BulletinStatus[] = ['PUBLISHED', 'RETRACTED', 'EXPIRED', 'DRAFT'];
export const INDICATOR_TYPES: IndicatorType[] = [
  'CONTAINER_NUMBER',
  'IMO_NUMBER',
  'SEAL_NUMBER',
  'LICENCE_PLATE',
  'VESSEL_NAME',
  'COMPANY',
  'OTHER',
];
export const ORGANISATION_TYPES: OrganisationType[] = [
  'PORT_AUTHORITY',
  'TERMINAL_OPERATOR',
  'SHIPPING_COMPANY',
  'LOGISTICS_PROVIDER',
  'CUSTOMS',
  'POLICE',
  'EU_AGENCY',
  'OTHER',
];

export const ROLES: MemberRole[] = ['ORG_ADMIN', 'ANALYST', 'MEMBER'];

export const INVITATION_COLOURS: Record<InvitationStatus, string> = {
  PENDING: 'blue.8',
  ACCEPTED: 'teal.9',
  REVOKED: 'gray.2',
  EXPIRED: 'gray.2',
};

/** Filled badge colours; with the theme's autoContrast each keeps a 4.5:1 text contrast. */
export const SEVERITY_COLOURS: Record<Severity, string> = {
  EXTREME: 'red.9',
  SEVERE: 'orange.3',
  MODERATE: 'yellow.2',
  MINOR: 'gray.2',
};

/** Options for a select of an enum, labelled in the reader's language. */
export const options = (t: (key: string) => string, kind: string, values: readonly string[]) =>
  values.map((value) => ({ value, label: t(`enums.${kind}.${value}`) }));
