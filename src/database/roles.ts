/**
 * Two database roles (ARCHITECTURE.md §1, tenancy): the owner runs migrations and command-line tools
 * and bypasses row-level security; the application connects as a role that cannot, so the policies
 * hold even if a resolver forgets a check. The embedded default creates both.
 */
export const OWNER_ROLE = 'harbourwatch_owner';
export const APP_ROLE = 'harbourwatch_app';

export interface DatabaseUrls {
  /** The application's connection (APP_ROLE or a member of it). */
  app: string;
  /** Migrations and tools (the owner of the schema). */
  owner: string;
}
