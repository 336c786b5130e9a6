import { VETTING_AUTHORITY_TYPES } from '../../../src/shared/vetting-authority-types';

/** What the console's menus and desks need to know of the caller (the server decides anyway). */
export type Viewer = { isPlatformAdmin: boolean; role?: string | null; organisation?: { type: string } | null };

/** Analysts and admins write bulletins and read vetting records. */
export const isWriter = (me: Viewer) => me.role === 'ANALYST' || me.role === 'ORG_ADMIN';

/** Writers of a vetting authority record and decide vettings, and cross-match. */
export const isVettingOfficer = (me: Viewer) =>
  isWriter(me) && !!me.organisation && VETTING_AUTHORITY_TYPES.includes(me.organisation.type);
