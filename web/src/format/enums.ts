import type {
  BulletinCategory,
  CaseStatus,
  BulletinStatus,
  Certainty,
  IndicatorType,
  InformationCredibility,
  InvitationStatus,
  MemberRole,
  OrganisationType,
  ResponseAction,
  Severity,
  SourceReliability,
  Urgency,
  VettingLevel,
  VettingReasonCode,
  VettingStatus,
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
/** The Admiralty grading, best first. */
export const RELIABILITIES: SourceReliability[] = ['A', 'B', 'C', 'D', 'E', 'F'];
export const CREDIBILITIES: InformationCredibility[] = [
  'CONFIRMED',
  'PROBABLY_TRUE',
  'POSSIBLY_TRUE',
  'DOUBTFUL',
  'IMPROBABLE',
  'CANNOT_BE_JUDGED',
];
/** The grading as analysts write it: B2. */
export const gradingCode = (r: SourceReliability, c: InformationCredibility) => `${r}${CREDIBILITIES.indexOf(c) + 1}`;
/** Grading choices as analysts read them: "B: Usually reliable", "2: Probably true". */
export const reliabilityOptions = (t: (key: string) => string) =>
  RELIABILITIES.map((r) => ({ value: r, label: `${r}: ${t(`enums.reliability.${r}`)}` }));
export const credibilityOptions = (t: (key: string) => string) =>
  CREDIBILITIES.map((c, i) => ({ value: c, label: `${i + 1}: ${t(`enums.credibility.${c}`)}` }));
export const RESPONSE_ACTIONS: ResponseAction[] = [
  'BADGE_SUSPENDED',
  'ACCESS_REVOKED',
  'CONTAINER_HELD',
  'PIN_RESET',
  'REFERRED_TO_POLICE',
  'CHECKED_NOT_FOUND',
  'NO_ACTION_NEEDED',
  'OTHER',
];
export const STATUSES: BulletinStatus[] = ['PUBLISHED', 'RETRACTED', 'EXPIRED', 'DRAFT'];
export const INDICATOR_TYPES: IndicatorType[] = [
  'CONTAINER_NUMBER',
  'IMO_NUMBER',
  'SEAL_NUMBER',
  'LICENCE_PLATE',
  'VESSEL_NAME',
  'COMPANY',
  'BILL_OF_LADING',
  'IP_ADDRESS',
  'DOMAIN_NAME',
  'URL',
  'EMAIL_ADDRESS',
  'FILE_HASH',
  'PHONE_NUMBER',
  'IBAN',
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

export const ROLES: MemberRole[] = ['ORG_ADMIN', 'ANALYST', 'MEMBER', 'DPO'];

export const CASE_STATUSES: CaseStatus[] = ['NEW', 'IN_REVIEW', 'NEED_INFO', 'REFERRED', 'CLOSED'];
/** What a handler may set (REFERRED comes with a referral). */
export const SETTABLE_CASE_STATUSES: CaseStatus[] = ['IN_REVIEW', 'NEED_INFO', 'CLOSED'];

export const VETTING_LEVELS: VettingLevel[] = ['BASIC', 'ENHANCED', 'SECURITY_CRITICAL'];
export const VETTING_STATUSES: VettingStatus[] = [
  'CLEARED',
  'CONDITIONAL',
  'PENDING',
  'SUSPENDED',
  'EXPIRED',
  'REFUSED',
  'REVOKED',
];
/** What a new record may start as. */
export const FIRST_VETTING_STATUSES: VettingStatus[] = ['PENDING', 'CLEARED', 'CONDITIONAL', 'REFUSED'];
/** Statuses that need a reason code; those that need a validity end. */
export const ADVERSE_VETTING_STATUSES: VettingStatus[] = ['REFUSED', 'REVOKED', 'SUSPENDED'];
export const CLEARANCE_VETTING_STATUSES: VettingStatus[] = ['CLEARED', 'CONDITIONAL'];
export const VETTING_REASONS: VettingReasonCode[] = [
  'LINKS_TO_ORGANISED_CRIME',
  'CRIMINAL_RECORD',
  'INTELLIGENCE',
  'FALSE_DECLARATION',
  'SECURITY_INCIDENT',
  'ADMINISTRATIVE',
  'OTHER',
];
export const VETTING_COLOURS: Record<VettingStatus, string> = {
  CLEARED: 'teal.9',
  CONDITIONAL: 'yellow.2',
  PENDING: 'blue.8',
  SUSPENDED: 'orange.3',
  EXPIRED: 'gray.2',
  REFUSED: 'red.9',
  REVOKED: 'red.9',
};

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
