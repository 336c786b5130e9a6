import { Alert, Button, Center, Group, Paper, PasswordInput, Select, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { CONSOLE_ROUTES } from '../../../../src/shared/console-routes';
import { PageCorner } from '../../app/Shell';
import { TotpInput } from '../../components/TotpInput';
import { time } from '../../format/time';
import {
  ApiError,
  beginSignIn,
  endedBecause,
  passkeyAnswer,
  passkeyCancelled,
  signIn,
  signInWithPasskey,
} from '../../session/session';
import { useSession } from '../../session/useSession';

interface Choice {
  id: string;
  name: string;
}

/** What the server's answer means for the person at the keyboard, in their language. */
function problem(error: unknown, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (passkeyCancelled(error)) return t('login.passkeyCancelled');
  if (!(error instanceof ApiError)) return t('errors.UNAVAILABLE');
  const x = error.extensions;
  if (typeof x.lockedUntil === 'string') return t('login.locked', { time: time(x.lockedUntil) });
  if (x.organisationSuspended) return t('login.suspended', { detail: error.message });
  if (x.identityProviderRequired) return t('login.providerRequired');
  if (x.phishingResistantRequired) return t('login.phishingResistantRequired');
  if (x.totpReused) return t('login.totpReused');
  if (x.totpRequired) return t('login.totpRequired');
  if (error.code === 'RATE_LIMITED') return t('errors.RATE_LIMITED');
  if (error.code === 'UNAUTHENTICATED') return t('login.invalid');
  return t(`errors.${error.code}`, { defaultValue: t('errors.INTERNAL') });
}

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const current = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState<string | null>(null);
  const [choices, setChoices] = useState<Choice[] | null>(null);
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // E-mail first: the address decides whether a password follows or the organisation's provider.
  const [withPassword, setWithPassword] = useState(false);
  const [leaving, setLeaving] = useState(false);
  // The account has a passkey: it may answer for the second factor.
  const [passkeyOffered, setPasskeyOffered] = useState(false);
  // A platform administrator who lost their second factor types a recovery code instead.
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : CONSOLE_ROUTES.feed;
  const providerRefusal = params.get('signInError');

  if (current) return <Navigate to={next} replace />;

  /** A sign-in step that may end in a session; what the answer asks for next, or why not. */
  const attempt = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await step();
      void navigate(next, { replace: true });
    } catch (e) {
      const x = e instanceof ApiError ? e.extensions : {};
      if (x.totpRequired && totp === null) setTotp('');
      if (x.passkeyRequired) setPasskeyOffered(true);
      if (Array.isArray(x.organisations)) setChoices(x.organisations as Choice[]);
      else if (!x.totpRequired && !x.passkeyRequired) setError(problem(e, t));
      if (x.totpReused || (e instanceof ApiError && e.code === 'UNAUTHENTICATED' && totp)) setTotp('');
    } finally {
      setBusy(false);
    }
  };

  const withPasskey = () =>
    void attempt(async () => {
      if (!withPassword) return signInWithPasskey(organisationId ?? undefined);
      return signIn({ email, password, organisationId: organisationId ?? undefined, passkey: await passkeyAnswer() });
    });

  /** E-mail first, then the password (and the second factor the answer asks for). */
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (withPassword)
      return void attempt(() =>
        signIn({
          email,
          password,
          totp: recoveryCode === null ? (totp ?? undefined) : undefined,
          recoveryCode: recoveryCode ?? undefined,
          organisationId: organisationId ?? undefined,
        }),
      );
    setBusy(true);
    setError(null);
    beginSignIn(email.trim(), next)
      .then((method) => (method === 'PASSWORD' ? setWithPassword(true) : setLeaving(true)))
      .catch((e: unknown) => setError(problem(e, t)))
      .finally(() => setBusy(false));
  };

  const ended = endedBecause();
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" w={420} maw="100%" component="main">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Group justify="space-between">
              <Title order={1} size="h2">
                {t('login.title')}
              </Title>
              <PageCorner />
            </Group>
            {ended === 'expired' && <Alert color="yellow">{t('login.expired')}</Alert>}
            {providerRefusal && !error && (
              <Alert color="red" role="alert">
                {t(`login.provider.${providerRefusal}`, { defaultValue: t('login.provider.refused') })}
              </Alert>
            )}
            {leaving && <Alert color="blue">{t('login.toProvider')}</Alert>}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              readOnly={withPassword}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            {withPassword && (
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                required
                autoFocus
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
            )}
            {totp !== null && recoveryCode === null && (
              <>
                <TotpInput description={t('login.totpHelp')} autoFocus required value={totp} onChange={setTotp} />
                <Button variant="subtle" size="xs" onClick={() => setRecoveryCode('')}>
                  {t('login.useRecoveryCode')}
                </Button>
              </>
            )}
            {recoveryCode !== null && (
              <TextInput
                label={t('login.recoveryCode')}
                description={t('login.recoveryCodeHelp')}
                autoComplete="off"
                autoFocus
                required
                value={recoveryCode}
                onChange={(e) => setRecoveryCode(e.currentTarget.value)}
              />
            )}
            {choices && (
              <Select
                label={t('login.organisation')}
                description={t('login.organisationHelp')}
                data={choices.map((c) => ({ value: c.id, label: c.name }))}
                value={organisationId}
                onChange={setOrganisationId}
                required
              />
            )}
            <Button type="submit" loading={busy || leaving}>
              {withPassword ? t('login.submit') : t('login.continue')}
            </Button>
            {(!withPassword || passkeyOffered) && (
              <Button variant="default" disabled={busy || leaving} onClick={withPasskey}>
                {withPassword ? t('login.usePasskey') : t('login.withPasskey')}
              </Button>
            )}
            {withPassword && (
              <Button
                variant="subtle"
                onClick={() => {
                  setWithPassword(false);
                  setPassword('');
                  setTotp(null);
                  setChoices(null);
                }}
              >
                {t('login.otherAddress')}
              </Button>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
