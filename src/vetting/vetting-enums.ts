import { registerEnumType } from '@nestjs/graphql';

export enum VettingStatus {
  PENDING = 'PENDING',
  CLEARED = 'CLEARED',
  CONDITIONAL = 'CONDITIONAL',
  REFUSED = 'REFUSED',
  REVOKED = 'REVOKED',
  SUSPENDED = 'SUSPENDED',
  EXPIRED = 'EXPIRED',
}

/** Why a vetting authority refused, revoked or suspended: restricted to that authority. */
export enum VettingReasonCode {
  CRIMINAL_RECORD = 'CRIMINAL_RECORD',
  LINKS_TO_ORGANISED_CRIME = 'LINKS_TO_ORGANISED_CRIME',
  INTELLIGENCE = 'INTELLIGENCE',
  FALSE_DECLARATION = 'FALSE_DECLARATION',
  SECURITY_INCIDENT = 'SECURITY_INCIDENT',
  ADMINISTRATIVE = 'ADMINISTRATIVE',
  OTHER = 'OTHER',
}

/** The statuses a cross-match reports to other authorities. */
export const ADVERSE_STATUSES = [VettingStatus.REFUSED, VettingStatus.REVOKED, VettingStatus.SUSPENDED];
/** Statuses that clear a person, for a period: they need a `validUntil` and can be renewed. */
export const CLEARANCE_STATUSES = [VettingStatus.CLEARED, VettingStatus.CONDITIONAL];
/** Statuses that lapse into EXPIRED once `validUntil` has passed; adverse ones stand. */
export const LAPSING_STATUSES = [VettingStatus.PENDING, ...CLEARANCE_STATUSES];

/** The status a reader sees: a lapsing status past `validUntil` reads EXPIRED, never a stale CLEARED. */
export function effectiveVettingStatus(
  r: { status: VettingStatus; validUntil: Date | null },
  now = new Date(),
): VettingStatus {
  return LAPSING_STATUSES.includes(r.status) && r.validUntil && r.validUntil <= now ? VettingStatus.EXPIRED : r.status;
}

/** The same rule in SQL over `vetting_records v`, for filters. */
export const EFFECTIVE_VETTING_STATUS_SQL = `(CASE WHEN v.status IN (${LAPSING_STATUSES.map((s) => `'${s}'`).join(', ')})
  AND v.valid_until <= now() THEN 'EXPIRED' ELSE v.status END)`;

registerEnumType(VettingStatus, { name: 'VettingStatus' });
registerEnumType(VettingReasonCode, { name: 'VettingReasonCode' });
