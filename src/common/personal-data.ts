/**
 * What each table holds about people (GDPR art. 30, LED art. 24): every entity declares every column of
 * its table, as personal data of a category or as none. test/data-protection.e2e-spec.ts compares the
 * declarations with the migrated database, so a column added without one fails the suite, and
 * docs/data-protection/register.md is generated from them.
 */
export enum PersonalDataCategory {
  ACCOUNT = 'ACCOUNT',
  MEMBERSHIP = 'MEMBERSHIP',
  CONTACT = 'CONTACT',
  VETTING_IDENTITY = 'VETTING_IDENTITY',
  VETTING_DECISION = 'VETTING_DECISION',
  CASE_CONTENT = 'CASE_CONTENT',
  BULLETIN_CONTENT = 'BULLETIN_CONTENT',
  SIGHTING = 'SIGHTING',
  AUDIT_EVENT = 'AUDIT_EVENT',
  DELIVERY_RECORD = 'DELIVERY_RECORD',
  TECHNICAL_LOG = 'TECHNICAL_LOG',
}

/**
 * How long a table's rows are kept and what deletes them. `setting` names what decides the limit (an
 * environment variable or an organisation's column); `purge` is the audit action each purge records,
 * so the register can show the last one. Rules with neither are kept until someone deletes them.
 */
export interface RetentionRule {
  readonly rule: string;
  readonly setting?: string;
  /** The environment variable that applies where the organisation's setting is unset. */
  readonly fallback?: string;
  readonly purge?: string;
}

export const RETENTION = {
  account: {
    rule: 'Pseudonymised ACCOUNT_RETENTION_DAYS after the person left their last organisation, or at once on an erasure request',
    setting: 'ACCOUNT_RETENTION_DAYS',
    purge: 'purgeAccounts',
  },
  dataSubjectRequest: { rule: 'Kept as proof that the request was answered' },
  membership: { rule: 'Until the member leaves or is removed (the row is deleted)' },
  organisation: { rule: 'While the organisation exists' },
  session: {
    rule: 'Deleted SESSION_RETENTION_DAYS after the session expires or is revoked, with its refresh tokens',
    setting: 'SESSION_RETENTION_DAYS',
    purge: 'purgeSessions',
  },
  invitation: {
    rule: 'Deleted SESSION_RETENTION_DAYS after the invitation expires, is accepted or is revoked',
    setting: 'SESSION_RETENTION_DAYS',
    purge: 'purgeInvitations',
  },
  loginFailure: {
    rule: 'Deleted at the next successful sign-in, else LOGIN_FAILURE_RETENTION_DAYS after the last failure',
    setting: 'LOGIN_FAILURE_RETENTION_DAYS',
    purge: 'purgeLoginFailures',
  },
  shortLived: { rule: 'Deleted once expired (minutes to a day), by the next request of its kind' },
  credential: { rule: 'Until its holder or an administrator removes it, or the account is deleted' },
  preference: { rule: 'Until the person removes it, or their account is deleted' },
  delivery: {
    rule: 'Deleted DELIVERY_RETENTION_DAYS after it was created',
    setting: 'DELIVERY_RETENTION_DAYS',
    purge: 'purgeDeliveries',
  },
  bulletin: {
    rule: "Deleted the organisation's bulletin retention (BULLETIN_RETENTION_DAYS unless set) after expiry or retraction, with everything that hangs on it",
    setting: 'organisations.bulletin_retention_days',
    fallback: 'BULLETIN_RETENTION_DAYS',
    purge: 'purgeBulletins',
  },
  bulletinEvent: { rule: 'Deleted after a day: the real-time replay window' },
  sighting: {
    rule: 'Deleted with the bulletin it reports on',
    setting: 'organisations.bulletin_retention_days',
    fallback: 'BULLETIN_RETENTION_DAYS',
    purge: 'purgeBulletins',
  },
  case: {
    rule: "Purged the organisation's whistleblower retention days after the case is closed",
    setting: 'organisations.whistleblower_retention_days',
    purge: 'purgeWhistleblowerCases',
  },
  vetting: {
    rule: "Purged the authority's vetting retention days after the record ended (expiry, revocation, employment end)",
    setting: 'organisations.vetting_retention_days',
    purge: 'purgeVettingRecords',
  },
  audit: {
    rule: 'Pruned AUDIT_RETENTION_DAYS after a signed checkpoint sealed it (the checkpoint and each chain’s head stay, so the trail still verifies)',
    setting: 'AUDIT_RETENTION_DAYS',
    purge: 'purgeAuditEvents',
  },
  trailRecord: { rule: 'Kept: proof of the trail (checkpoints, prunes, verifications, purges)' },
  taxiiStatus: {
    rule: 'Deleted TAXII_STATUS_RETENTION_DAYS after the request',
    setting: 'TAXII_STATUS_RETENTION_DAYS',
    purge: 'purgeTaxiiStatuses',
  },
  configuration: { rule: 'While its organisation keeps it' },
  peering: { rule: 'While the platform keeps the peering agreement' },
  federatedBulletin: {
    rule: "Deleted the peering agreement's retention days after it was received",
    setting: 'peers.retention_days',
    purge: 'purgeFederatedBulletins',
  },
  quarantine: { rule: 'Deleted with the peering agreement (kept for platform administrators to examine)' },
  operational: { rule: 'Overwritten or deleted as it is used (counters, budgets, heartbeats)' },
} as const satisfies Record<string, RetentionRule>;

export interface PersonalDataDeclaration {
  /** Why the rows exist, in a sentence a data protection officer can sign. */
  readonly purpose: string;
  /** Who may read them, as the ability grants it. */
  readonly recipients: string;
  readonly retention: RetentionRule;
  /** Columns holding personal data, by category. */
  readonly personal: Readonly<Record<string, PersonalDataCategory>>;
  /** Every other column: none of them says anything about a person. */
  readonly other: readonly string[];
}

const declarations = new Map<object, PersonalDataDeclaration>();

/** Declares what an entity's table holds about people (every column, once). */
export function PersonalData(declaration: PersonalDataDeclaration): ClassDecorator {
  return (target) => {
    declarations.set(target, declaration);
  };
}

export function personalDataOf(entity: object): PersonalDataDeclaration | undefined {
  return declarations.get(entity);
}
