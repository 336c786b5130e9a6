import { useQuery } from '@apollo/client/react';
import {
  Alert,
  AppShell,
  Burger,
  Button,
  Container,
  Group,
  NavLink,
  Select,
  type SelectProps,
  Stack,
  Text,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, matchPath, Outlet, useLocation, useNavigate } from 'react-router';
import { CONSOLE_HELP, CONSOLE_ROUTES, type ConsoleRoute } from '../../../src/shared/console-routes';
import { Loading } from '../components/Loading';
import { ViewerDocument } from '../gql/graphql';
import { LANGUAGES, type Language, switchLanguage } from '../i18n/i18n';
import { isVettingOfficer, isWriter, type Viewer } from '../session/roles';
import { signOut } from '../session/session';
import { useSession } from '../session/useSession';

// Met once, by a platform administrator without a second factor: its QR code library stays out of the first load.
const Passkeys = lazy(() => import('../desks/security/SecurityPage').then((m) => ({ default: m.Passkeys })));
const TotpEnrolment = lazy(() => import('../components/TotpEnrolment').then((m) => ({ default: m.TotpEnrolment })));

/** Desks, and who sees them in the menu (the server refuses the others' operations anyway). */
const DESKS: readonly (readonly [string, string, (me: Viewer) => boolean])[] = [
  ['feed', CONSOLE_ROUTES.feed, () => true],
  ['dashboard', CONSOLE_ROUTES.dashboard, (me) => !!me.role],
  ['compose', CONSOLE_ROUTES.compose, isWriter],
  ['search', CONSOLE_ROUTES.search, () => true],
  ['alerts', CONSOLE_ROUTES.alerts, () => true],
  ['overview', CONSOLE_ROUTES.overview, (me) => me.role === 'ORG_ADMIN'],
  ['members', CONSOLE_ROUTES.members, (me) => me.role === 'ORG_ADMIN'],
  ['profile', CONSOLE_ROUTES.profile, (me) => !!me.role],
  ['sharing', CONSOLE_ROUTES.sharing, (me) => me.role === 'ORG_ADMIN' || me.isPlatformAdmin],
  ['audit', CONSOLE_ROUTES.audit, (me) => me.role === 'ORG_ADMIN' || me.isPlatformAdmin],
  ['dataProtection', CONSOLE_ROUTES.dataProtection, (me) => me.role === 'DPO'],
  ['organisations', CONSOLE_ROUTES.organisations, (me) => me.isPlatformAdmin],
  ['platform', CONSOLE_ROUTES.platform, (me) => me.isPlatformAdmin],
  ['vetting', CONSOLE_ROUTES.vetting, isWriter],
  ['gate', CONSOLE_ROUTES.gate, (me) => !!me.role],
  ['crossMatch', CONSOLE_ROUTES.crossMatch, isVettingOfficer],
  ['cases', CONSOLE_ROUTES.cases, isWriter],
  ['intake', CONSOLE_ROUTES.intake, (me) => me.role === 'ORG_ADMIN'],
  ['machineClients', CONSOLE_ROUTES.machineClients, (me) => me.role === 'ORG_ADMIN'],
  ['webhooks', CONSOLE_ROUTES.webhooks, (me) => me.role === 'ORG_ADMIN'],
  ['identity', CONSOLE_ROUTES.identity, (me) => me.role === 'ORG_ADMIN'],
  ['security', CONSOLE_ROUTES.security, () => true],
  ['sessions', CONSOLE_ROUTES.sessions, () => true],
];

/** The documentation page of the console page at `pathname` (the site's home for none). */
function helpFor(pathname: string): string {
  const route = (Object.keys(CONSOLE_ROUTES) as ConsoleRoute[]).find((r) => matchPath(CONSOLE_ROUTES[r], pathname));
  return `/docs/${route ? CONSOLE_HELP[route] : ''}`;
}

/** Opens the documentation on the current page's section, in a new tab (the work stays where it was). */
export function HelpLink() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <Button
      component="a"
      href={helpFor(pathname)}
      target="_blank"
      rel="noopener"
      aria-label={t('shell.helpLabel')}
      variant="subtle"
      size="xs"
    >
      {t('shell.help')}
    </Button>
  );
}

/** Help and the language, beside the title of the pages outside the shell (signing in, an invitation). */
export function PageCorner() {
  return (
    <Group gap={4} wrap="nowrap">
      <HelpLink />
      <LanguagePicker />
    </Group>
  );
}

export function LanguagePicker(props: Pick<SelectProps, 'visibleFrom' | 'hiddenFrom'>) {
  const { t, i18n } = useTranslation();
  return (
    <Select
      {...props}
      aria-label={t('shell.language')}
      w={140}
      size="xs"
      allowDeselect={false}
      value={i18n.language}
      data={Object.entries(LANGUAGES).map(([value, label]) => ({ value, label }))}
      onChange={(value) => value && void switchLanguage(value as Language)}
    />
  );
}

export function Shell() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const current = useSession();
  const navigate = useNavigate();
  const { data, refetch } = useQuery(ViewerDocument);
  const me = data?.me;
  // The server opens no desk to a platform administrator without a second factor: set it up first.
  const mustEnrol = Boolean(me?.isPlatformAdmin && !me.user.totpEnabled && !me.user.hasPasskey);
  // The organisation requires a passkey and this session began without one: add it, then sign in with it.
  const passkeyFirst = Boolean(me?.passkeyFirst);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />
            <Text fw={700} component={Link} to={CONSOLE_ROUTES.feed}>
              Harbourwatch
            </Text>
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {current?.organisation?.name}
            </Text>
          </Group>
          <Group wrap="nowrap" gap="xs">
            {/* On a phone the picker lives in the menu: beside it, "Sign out" left a 375 px screen. */}
            <LanguagePicker visibleFrom="sm" />
            <HelpLink />
            <Button variant="subtle" size="xs" onClick={() => void signOut()}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.navigation')}>
        <Stack gap={2}>
          {DESKS.filter(([, , shown]) => me && !mustEnrol && !passkeyFirst && shown(me)).map(([desk, path]) => (
            <NavLink
              key={desk}
              component={Link}
              to={path}
              label={t(`shell.desks.${desk}`)}
              // Filled: the light variant's hover tint leaves the active link below 4.5:1 contrast.
              variant="filled"
              active={path === '/' ? location.pathname === '/' : location.pathname.startsWith(path)}
              onClick={close}
            />
          ))}
        </Stack>
        <Stack gap="xs" mt="auto" p="xs">
          <LanguagePicker hiddenFrom="sm" />
          {me && (
            <Text size="xs" c="dimmed">
              {me.user.displayName}
              {me.role ? ` · ${t(`enums.role.${me.role}`)}` : ''}
            </Text>
          )}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {passkeyFirst ? (
          <Container size="sm">
            <Stack>
              <Alert color="blue" title={t('shell.passkeyFirstTitle')}>
                {t('shell.passkeyFirst')}
              </Alert>
              <Suspense fallback={<Loading />}>
                <Passkeys />
              </Suspense>
              <Group>
                <Button onClick={() => void signOut()}>{t('shell.signInAgain')}</Button>
              </Group>
            </Stack>
          </Container>
        ) : mustEnrol ? (
          <Container size="xs">
            <Suspense fallback={<Loading />}>
              <TotpEnrolment
                intro={t('shell.enrolFirst')}
                onDone={() => refetch().then(() => navigate(CONSOLE_ROUTES.platform, { replace: true }))}
              />
            </Suspense>
          </Container>
        ) : (
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
