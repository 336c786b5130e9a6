/** pg-boss schema and queues (created by the NotificationOutbox migration). */
export const OUTBOX_SCHEMA = 'pgboss';

export const QUEUE = {
  bulletinFanout: 'bulletin-fanout',
  email: 'email',
  emailFailed: 'email-failed',
  digest: 'daily-digest',
  /** Created by the Vetting migration. */
  vettingReminders: 'vetting-reminders',
  /** Created by the Whistleblowing migration. */
  caseRetention: 'case-retention',
  /** Created by the Onboarding migration. */
  invitationEmail: 'invitation-email',
  /** Created by the VettingRetention migration. */
  vettingRetention: 'vetting-retention',
  /** Created by the CaseDeadlines migration. */
  caseReminders: 'case-reminders',
  /** Created by the AlertToAction migration. */
  responseReminders: 'response-reminders',
  /** Created by the Webhooks migration. */
  webhookFanout: 'webhook-fanout',
  webhook: 'webhook',
  webhookFailed: 'webhook-failed',
  /** Created by the TaxiiStatusRetention migration. */
  taxiiStatusRetention: 'taxii-status-retention',
  /** Created by the AuditChainsPerOrganisation migration. */
  auditCheckpoint: 'audit-checkpoint',
  /** Created by the FairWebhookDelivery migration. */
  webhookDisabled: 'webhook-disabled',
  /** Created by the OrganisationSignIn migration. */
  memberJoined: 'member-joined',
  /** Created by the Correlation migration. */
  correlation: 'correlation',
  /** Created by the PersonalDataRetention migration. */
  personalDataRetention: 'personal-data-retention',
  /** Created by the KeyRotation migration. */
  keyRotation: 'key-rotation',
} as const;

/** In creation order: a dead-letter queue before the queue that names it. */
export const OUTBOX_QUEUES: Record<
  string,
  { retryLimit?: number; retryDelay?: number; retryBackoff?: boolean; deadLetter?: string }
> = {
  [QUEUE.emailFailed]: {},
  [QUEUE.email]: { retryLimit: 8, retryDelay: 30, retryBackoff: true, deadLetter: QUEUE.emailFailed },
  [QUEUE.bulletinFanout]: { retryLimit: 10, retryDelay: 2, retryBackoff: true },
  [QUEUE.digest]: { retryLimit: 5, retryDelay: 60, retryBackoff: true },
};
