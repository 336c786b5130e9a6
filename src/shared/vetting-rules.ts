// Shared with the console, which offers the same choices and limits: hence no imports.

/** The most subjects one cross-match may submit (the console sends larger files in batches of it). */
export const MAX_CROSS_MATCH = 1000;

/**
 * Which status a vetting authority may set from which. EXPIRED is never set: it is read from `validUntil` (renewVetting brings
 * a record back). REFUSED and REVOKED are final: vetting again is a new record.
 */
export const TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  PENDING: ['CLEARED', 'CONDITIONAL', 'REFUSED'],
  CLEARED: ['CONDITIONAL', 'SUSPENDED', 'REVOKED'],
  CONDITIONAL: ['CLEARED', 'SUSPENDED', 'REVOKED'],
  SUSPENDED: ['CLEARED', 'CONDITIONAL', 'REVOKED'],
  EXPIRED: ['SUSPENDED', 'REVOKED'],
  REFUSED: [],
  REVOKED: [],
};
