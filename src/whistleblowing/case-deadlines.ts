import { registerEnumType } from '@nestjs/graphql';
import { CaseStatus } from './case-enums';

/** Where a case stands against the Directive's deadlines (2019/1937, art. 9). */
export enum CaseAttention {
  /** The acknowledgement or the feedback is late. */
  OVERDUE = 'OVERDUE',
  /** The acknowledgement is due within 2 days, or the feedback within 14. */
  DUE_SOON = 'DUE_SOON',
  /** Received and not answered yet: the reporter waits for a first word (the deadline is further off). */
  TO_ACKNOWLEDGE = 'TO_ACKNOWLEDGE',
}
registerEnumType(CaseAttention, { name: 'CaseAttention' });

/** How early a coming deadline makes a case need attention: a weekend must not hide it. */
const ACKNOWLEDGE_WARNING_DAYS = 2;
const FEEDBACK_WARNING_DAYS = 14;

/** A case's Directive dates, days as YYYY-MM-DD (the deadlines are columns computed by Postgres). */
export interface CaseDates {
  status: CaseStatus;
  acknowledgeBy: string;
  acknowledgedOn: string | null;
  feedbackBy: string;
  feedbackOn: string | null;
}

export const today = (now = new Date()) => now.toISOString().slice(0, 10);

const plusDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Null for a closed case, or an acknowledged one whose next step is not due soon. Days compare as strings (ISO 8601). */
export function caseAttention(c: CaseDates, on = today()): CaseAttention | null {
  if (c.status === CaseStatus.CLOSED) return null;
  const pending: [string, number][] = [];
  if (!c.acknowledgedOn) pending.push([c.acknowledgeBy, ACKNOWLEDGE_WARNING_DAYS]);
  if (!c.feedbackOn) pending.push([c.feedbackBy, FEEDBACK_WARNING_DAYS]);
  if (pending.some(([by]) => by < on)) return CaseAttention.OVERDUE;
  if (pending.some(([by, warning]) => by <= plusDays(on, warning))) return CaseAttention.DUE_SOON;
  return c.acknowledgedOn ? null : CaseAttention.TO_ACKNOWLEDGE;
}

/** When a closed case is purged (the organisation's retention after closing); null while it is open. */
export function purgeOn(closedOn: string | null, retentionDays: number): string | null {
  return closedOn ? plusDays(closedOn, retentionDays) : null;
}
