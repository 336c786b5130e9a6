import { Bulletin } from './bulletin.entity';

/** How the ability's bulletin fields map to SQL over `bulletins b` (see sharing/ability-sql.ts). */
export const BULLETIN_COLUMNS = {
  authorOrganisationId: 'b.organisation_id',
  authorUserId: 'b.author_user_id',
  status: 'b.status',
  tlp: 'b.tlp',
  category: 'b.category',
  recipientOrganisationIds: { array: 'b.recipient_organisation_ids' },
  recipientUserIds: { array: 'b.recipient_user_ids' },
};

/** The same fields for one version (`bulletin_versions v` joined to `bulletins b`): a version is read by its own marking. */
export const VERSION_COLUMNS = {
  ...BULLETIN_COLUMNS,
  authorOrganisationId: 'v.organisation_id',
  tlp: 'v.tlp',
  category: 'v.category',
  recipientOrganisationIds: { array: 'v.recipient_organisation_ids' },
  recipientUserIds: { array: 'v.recipient_user_ids' },
};

/** The status a reader sees: a published bulletin past its validity reads EXPIRED, never stale. */
export function effectiveStatus(b: Pick<Bulletin, 'status' | 'validUntil'>, now = new Date()): string {
  return b.status === 'PUBLISHED' && b.validUntil && b.validUntil <= now ? 'EXPIRED' : b.status;
}

/** The same rule in SQL, for filters. */
export const EFFECTIVE_STATUS_SQL = `(CASE WHEN b.status = 'PUBLISHED' AND b.valid_until <= now() THEN 'EXPIRED' ELSE b.status END)`;
