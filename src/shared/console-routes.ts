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
  members: '/members',
  overview: '/overview',
  profile: '/profile',
  sharing: '/sharing-rules',
  audit: '/audit',
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
  cases: '/cases',
  case: '/cases/:id',
  invitation: '/invitations/accept',
} as const;

export type ConsoleRoute = keyof typeof CONSOLE_ROUTES;

/** A route's path with its parameters filled in: `consolePath('bulletin', { id })`. */
export function consolePath(route: ConsoleRoute, params: Record<string, string> = {}): string {
  return CONSOLE_ROUTES[route].replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
