import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { CONSOLE_ROUTES } from '../../../../src/shared/console-routes';
import { PageCorner } from '../../app/Shell';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TotpEnrolment } from '../../components/TotpEnrolment';
import { TotpInput } from '../../components/TotpInput';
import { acceptInvitation, ApiError } from '../../session/session';

const MIN_PASSWORD = 12;

/** The link in the invitation e-mail: choose a name and a password, then set up the second factor. */
export default function InvitationPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [totp, setTotp] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<'account' | 'totp'>('account');

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await acceptInvitation({ token, displayName: displayName.trim(), password, totp: totp ?? undefined });
      // An existing account with a second factor already has one: straight to the desk.
      if (totp) void navigate(CONSOLE_ROUTES.feed, { replace: true });
      else setStep('totp');
    } catch (caught) {
      if (caught instanceof ApiError && caught.extensions.totpRequired) setTotp('');
      else setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const mismatch = repeat.length > 0 && repeat !== password;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" w={480} maw="100%" component="main">
        <Stack>
          <Group justify="space-between">
            <Title order={1} size="h2">
              {t('invitation.title')}
            </Title>
            <PageCorner />
          </Group>
          {!token && <Alert color="red">{t('invitation.noToken')}</Alert>}
          {step === 'totp' ? (
            <TotpEnrolment onDone={() => navigate(CONSOLE_ROUTES.feed, { replace: true })} />
          ) : (
            <form onSubmit={(e) => void submit(e)} noValidate>
              <Stack>
                <Text size="sm">{t('invitation.help')}</Text>
                <ErrorNotice error={error} />
                <TextInput
                  label={t('invitation.displayName')}
                  required
                  autoComplete="name"
                  value={displayName}
                  onChange={(e) => setDisplayName(e.currentTarget.value)}
                />
                <PasswordInput
                  label={t('login.password')}
                  description={t('invitation.passwordHelp', { min: MIN_PASSWORD })}
                  required
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
                <PasswordInput
                  label={t('invitation.repeat')}
                  required
                  autoComplete="new-password"
                  value={repeat}
                  error={mismatch ? t('invitation.mismatch') : undefined}
                  onChange={(e) => setRepeat(e.currentTarget.value)}
                />
                {totp !== null && (
                  <TotpInput description={t('invitation.existingTotp')} value={totp} onChange={setTotp} />
                )}
                <Button
                  type="submit"
                  loading={busy}
                  disabled={
                    !token || !displayName.trim() || password.length < MIN_PASSWORD || mismatch || repeat !== password
                  }
                >
                  {t('invitation.submit')}
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
