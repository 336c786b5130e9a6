/**
 * Organisations that vet port staff and so may record vetting statuses and cross-match subjects.
 * Shared with the console (which offers their desks), hence plain strings and no imports.
 */
export const VETTING_AUTHORITY_TYPES: readonly string[] = ['PORT_AUTHORITY', 'POLICE', 'CUSTOMS'];
