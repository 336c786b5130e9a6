import { SetMetadata } from '@nestjs/common';

/** What an ability check names; sharing/ability.factory.ts gives each pair its rules. */
export type Action =
  | 'manage'
  | 'create'
  | 'read'
  | 'update'
  | 'delete'
  | 'suspend'
  | 'invite'
  | 'publish'
  | 'revise'
  | 'retract'
  | 'acknowledge'
  | 'respond'
  | 'sight'
  | 'explain'
  | 'check'
  | 'crossMatch'
  | 'readRestricted'
  | 'manageRetention'
  | 'verify'
  | 'handle'
  | 'approve'
  | 'erase';
export type SubjectName =
  | 'Organisation'
  | 'Membership'
  | 'Invitation'
  | 'SharingRule'
  | 'Bulletin'
  | 'AuditEvent'
  | 'AlertSubscription'
  | 'NotificationDelivery'
  | 'VettingRecord'
  | 'WhistleblowerCase'
  | 'WhistleblowerIntake'
  /** The running platform: its health, its administrators, the audit chain as a whole. */
  | 'Platform'
  | 'MachineClient'
  | 'Webhook'
  | 'IdentityProvider'
  | 'SavedView'
  | 'CorrelationExclusion'
  /** The register of processing, retention in force and data subjects' requests (an organisation's, or all). */
  | 'DataProtection'
  /** Consultations, disclosures and the rest of LED art. 25, for the organisation's DPO alone. */
  | 'ProcessingLog'
  /** Another instance and the agreement of what crosses to and from it (federation). */
  | 'Peer'
  /** A peer instance's bulletin, for the organisations here its origin addressed. */
  | 'FederatedBulletin'
  | 'all';

export const CHECK = 'harbourwatch:check';

/** The ability check an operation runs, as declared on its handler (docs/authorization/operations.md lists them all). */
export interface Check {
  action: Action;
  subject: SubjectName;
  /** Who may, in the product's words: the refusal's message and the table's note. */
  who: string;
  /**
   * At the gate: the operation concerns no object the caller names, so the global guard refuses a
   * role that can never be allowed it. Otherwise the service decides on each object (an object the
   * caller cannot read is NOT_FOUND, one they read but may not change FORBIDDEN) or filters a list in SQL.
   */
  atGate: boolean;
}

/** An operation on no particular object (create, an admin-only list): a role never allowed it is refused at once. */
export const Checks = (action: Action, subject: SubjectName, who: string) =>
  SetMetadata(CHECK, { action, subject, who, atGate: true } satisfies Check);

/** An operation on objects the caller names or lists: the service asks the ability about each one. */
export const ChecksEach = (action: Action, subject: SubjectName, who: string) =>
  SetMetadata(CHECK, { action, subject, who, atGate: false } satisfies Check);
