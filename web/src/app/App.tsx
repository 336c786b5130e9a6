import { ApolloProvider } from '@apollo/client/react';
import { createTheme, type CSSVariablesResolver, MantineProvider } from '@mantine/core';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { CONSOLE_ROUTES } from '../../../src/shared/console-routes';
import { Loading } from '../components/Loading';
import { createApolloClient } from '../session/apollo';
import { refresh } from '../session/session';
import { useSession } from '../session/useSession';
import { Shell } from './Shell';

// One chunk per desk: the first visit loads the login page and the feed only.
const LoginPage = lazy(() => import('../desks/login/LoginPage'));
const FeedPage = lazy(() => import('../desks/feed/FeedPage'));
// Its charts and base map are its own chunk.
const DashboardPage = lazy(() => import('../desks/dashboard/DashboardPage'));
const BulletinPage = lazy(() => import('../desks/bulletin/BulletinPage'));
const ComposePage = lazy(() => import('../desks/compose/ComposePage'));
const SearchPage = lazy(() => import('../desks/search/SearchPage'));
const AlertsPage = lazy(() => import('../desks/alerts/AlertsPage'));
const SessionsPage = lazy(() => import('../desks/sessions/SessionsPage'));
const InvitationPage = lazy(() => import('../desks/invitation/InvitationPage'));
const MembersPage = lazy(() => import('../desks/members/MembersPage'));
const OverviewPage = lazy(() => import('../desks/overview/OverviewPage'));
const SharingRulesPage = lazy(() => import('../desks/sharing/SharingRulesPage'));
const AuditPage = lazy(() => import('../desks/audit/AuditPage'));
const DataProtectionPage = lazy(() => import('../desks/dataProtection/DataProtectionPage'));
const OrganisationsPage = lazy(() => import('../desks/organisations/OrganisationsPage'));
const VettingPage = lazy(() => import('../desks/vetting/VettingPage'));
const RecordVettingPage = lazy(() => import('../desks/vetting/RecordVettingPage'));
const VettingRecordPage = lazy(() => import('../desks/vetting/VettingRecordPage'));
const GateCheckPage = lazy(() => import('../desks/vetting/GateCheckPage'));
const CrossMatchPage = lazy(() => import('../desks/vetting/CrossMatchPage'));
const CaseInboxPage = lazy(() => import('../desks/cases/CaseInboxPage'));
const CasePage = lazy(() => import('../desks/cases/CasePage'));
const PlatformPage = lazy(() => import('../desks/platform/PlatformPage'));
const IntakePage = lazy(() => import('../desks/intake/IntakePage'));
const ProfilePage = lazy(() => import('../desks/profile/ProfilePage'));
const MachineClientsPage = lazy(() => import('../desks/machineClients/MachineClientsPage'));
const WebhooksPage = lazy(() => import('../desks/webhooks/WebhooksPage'));
const IdentityPage = lazy(() => import('../desks/identity/IdentityPage'));
const SecurityPage = lazy(() => import('../desks/security/SecurityPage'));

// Shade 8 and a darker "dimmed": text and filled badges keep a 4.5:1 contrast (WCAG 2.1 AA).
const theme = createTheme({ primaryColor: 'blue', primaryShade: 8, autoContrast: true, defaultRadius: 'sm' });
const contrast: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7] },
  dark: {},
});
// Mantine's theme variables go in <style> elements: they carry the nonce the server gave this page.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

/** Desks need a session: a reload gets one from the refresh cookie, or goes to the login page. */
function SignedIn({ children }: { children: React.ReactNode }) {
  const current = useSession();
  const location = useLocation();
  const [tried, setTried] = useState(false);
  useEffect(() => {
    if (!current && !tried) void refresh().finally(() => setTried(true));
  }, [current, tried]);
  if (current) return children;
  if (!tried) return <Loading />;
  const next = location.pathname + location.search;
  return <Navigate to={`${CONSOLE_ROUTES.login}?next=${encodeURIComponent(next)}`} replace />;
}

export function App() {
  const client = useMemo(createApolloClient, []);
  const current = useSession();
  // Nothing cached of one session is shown to the next (another organisation, another person).
  useEffect(() => {
    if (!current) void client.clearStore();
  }, [client, current]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={contrast} getStyleNonce={() => nonce}>
      <ApolloProvider client={client}>
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path={CONSOLE_ROUTES.login} element={<LoginPage />} />
              <Route path={CONSOLE_ROUTES.invitation} element={<InvitationPage />} />
              <Route
                element={
                  <SignedIn>
                    <Shell />
                  </SignedIn>
                }
              >
                <Route path={CONSOLE_ROUTES.feed} element={<FeedPage />} />
                <Route path={CONSOLE_ROUTES.dashboard} element={<DashboardPage />} />
                <Route path={CONSOLE_ROUTES.bulletin} element={<BulletinPage />} />
                <Route path={CONSOLE_ROUTES.compose} element={<ComposePage />} />
                <Route path={CONSOLE_ROUTES.draft} element={<ComposePage />} />
                <Route path={CONSOLE_ROUTES.search} element={<SearchPage />} />
                <Route path={CONSOLE_ROUTES.alerts} element={<AlertsPage />} />
                <Route path={CONSOLE_ROUTES.sessions} element={<SessionsPage />} />
                <Route path={CONSOLE_ROUTES.members} element={<MembersPage />} />
                <Route path={CONSOLE_ROUTES.overview} element={<OverviewPage />} />
                <Route path={CONSOLE_ROUTES.profile} element={<ProfilePage />} />
                <Route path={CONSOLE_ROUTES.machineClients} element={<MachineClientsPage />} />
                <Route path={CONSOLE_ROUTES.webhooks} element={<WebhooksPage />} />
                <Route path={CONSOLE_ROUTES.identity} element={<IdentityPage />} />
                <Route path={CONSOLE_ROUTES.security} element={<SecurityPage />} />
                <Route path={CONSOLE_ROUTES.sharing} element={<SharingRulesPage />} />
                <Route path={CONSOLE_ROUTES.audit} element={<AuditPage />} />
                <Route path={CONSOLE_ROUTES.dataProtection} element={<DataProtectionPage />} />
                <Route path={CONSOLE_ROUTES.organisations} element={<OrganisationsPage />} />
                <Route path={CONSOLE_ROUTES.vetting} element={<VettingPage />} />
                <Route path={CONSOLE_ROUTES.vettingNew} element={<RecordVettingPage />} />
                <Route path={CONSOLE_ROUTES.vettingRecord} element={<VettingRecordPage />} />
                <Route path={CONSOLE_ROUTES.gate} element={<GateCheckPage />} />
                <Route path={CONSOLE_ROUTES.crossMatch} element={<CrossMatchPage />} />
                <Route path={CONSOLE_ROUTES.platform} element={<PlatformPage />} />
                <Route path={CONSOLE_ROUTES.intake} element={<IntakePage />} />
                <Route path={CONSOLE_ROUTES.cases} element={<CaseInboxPage />} />
                <Route path={CONSOLE_ROUTES.case} element={<CasePage />} />
              </Route>
              <Route path="*" element={<Navigate to={CONSOLE_ROUTES.feed} replace />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </ApolloProvider>
    </MantineProvider>
  );
}
