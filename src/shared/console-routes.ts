/**
 * The console's pages. One list for both sides: the server answers these paths with the console's
 * index.html (anything else stays a 404), and the console's router mounts its desks on them. E-mails
 * link to `bulletin`, `invitation`, `vettingRecord` and `cases`.
 */
export const CONSOLE_ROUTES = {
  feed: '/',
  dashboard: '/dashboard',
  login: '/login',
  bulletin: '/bulletins/:id',
  compose: '/compose',
  draft: '/compose/:id',
  search: '/search',
  alerts: '/alerts',
  sessions: '/sessions',
  security: '/security',
  members: '/members',
  overview: '/overview',
  profile: '/profile',
  sharing: '/sharing-rules',
  audit: '/audit',
  dataProtection: '/data-protection',
  organisations: '/organisations',
  platform: '/platform',
  vetting: '/vetting',
  vettingNew: '/vetting/new',
  vettingRecord: '/vetting/:id',
  gate: '/gate',
  crossMatch: '/cross-match',
  intake: '/intake',
  machineClients: '/machine-clients',
  webhooks: '/webhooks',
  identity: '/identity',
  cases: '/cases',
  case: '/cases/:id',
  invitation: '/invitations/accept',
} as const;

export type ConsoleRoute = keyof typeof CONSOLE_ROUTES;

/**
 * Each console page's place in the documentation site (docs/, served at /docs): the console's Help
 * link opens it, and a test checks that every page and anchor exists in the built site.
 */
export const CONSOLE_HELP: Record<ConsoleRoute, string> = {
  feed: 'guides/analyst.html#your-day-on-the-feed',
  dashboard: 'guides/analyst.html#the-dashboard',
  login: 'index.html',
  bulletin: 'guides/analyst.html#acting-on-a-bulletin-you-received',
  compose: 'guides/analyst.html#publishing',
  draft: 'guides/analyst.html#publishing',
  search: 'guides/analyst.html#indicator-search',
  alerts: 'guides/analyst.html#alerts',
  sessions: 'guides/analyst.html#your-sessions',
  security: 'guides/analyst.html#passkeys-and-your-authenticator-app',
  members: 'guides/organisation-admin.html#members-and-invitations',
  overview: 'guides/organisation-admin.html#each-morning-the-overview-desk',
  profile: 'guides/organisation-admin.html#organisation-profile',
  sharing: 'guides/organisation-admin.html#sharing-rules',
  audit: 'guides/organisation-admin.html#whistleblower-intake-and-the-audit-trail',
  dataProtection: 'guides/data-protection-officer.html',
  organisations: 'guides/platform-admin.html',
  platform: 'guides/platform-admin.html',
  vetting: 'guides/vetting-officer.html',
  vettingNew: 'guides/vetting-officer.html',
  vettingRecord: 'guides/vetting-officer.html',
  gate: 'guides/gate-staff.html',
  crossMatch: 'guides/vetting-officer.html',
  intake: 'guides/organisation-admin.html#whistleblower-intake-and-the-audit-trail',
  machineClients: 'guides/organisation-admin.html#webhooks-and-machine-clients',
  webhooks: 'guides/organisation-admin.html#webhooks-and-machine-clients',
  identity: 'guides/organisation-admin.html#signing-in-through-your-identity-provider',
  cases: 'guides/case-handler.html',
  case: 'guides/case-handler.html',
  invitation: 'index.html',
};

/** A route's path with its parameters filled in: `consolePath('bulletin', { id })`. */
export function consolePath(route: ConsoleRoute, params: Record<string, string> = {}): string {
  return CONSOLE_ROUTES[route].replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
