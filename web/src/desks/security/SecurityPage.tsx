import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Alert, Anchor, Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { startRegistration } from '@simplewebauthn/browser';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CONSOLE_ROUTES } from '../../../../src/shared/console-routes';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { useExport } from '../../components/PeriodExport';
import { Section } from '../../components/Section';
import { TotpEnrolment } from '../../components/TotpEnrolment';
import { saveFile } from '../../format/files';
import { dateTime } from '../../format/time';
import { passkeyCancelled } from '../../session/session';
import {
  MyPasskeysDocument,
  MyPersonalDataDocument,
  PasskeyRegistrationOptionsDocument,
  RegisterPasskeyDocument,
  RemovePasskeyDocument,
  ViewerDocument,
} from '../../gql/graphql';

/** The person's passkeys: add one (the browser asks the device), see when each was last used, remove. */
export function Passkeys() {
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(MyPasskeysDocument, { fetchPolicy: 'cache-and-network' });
  const refetch = { refetchQueries: [MyPasskeysDocument] };
  const [options] = useMutation(PasskeyRegistrationOptionsDocument);
  const [register] = useMutation(RegisterPasskeyDocument, refetch);
  const [remove] = useMutation(RemovePasskeyDocument, refetch);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const add = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const { data: asked } = await options();
      const challenge = asked!.passkeyRegistrationOptions;
      const response = await startRegistration({
        optionsJSON: challenge.options as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'],
      });
      await register({
        variables: {
          challengeId: challenge.challengeId,
          response: response as unknown as Record<string, unknown>,
          name: name.trim(),
        },
      });
      setName('');
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const cancelled = passkeyCancelled(failure);
  return (
    <Section title={t('security.passkeys')}>
      <Stack gap="sm">
        <Text size="sm">{t('security.passkeysHelp')}</Text>
        <ErrorNotice error={error} />
        {loading && !data && <Loading />}
        {data && (
          <DataTable
            rows={data.myPasskeys}
            rowKey={(p) => p.id}
            testId="passkeys"
            minWidth={560}
            empty={t('security.noPasskeys')}
            columns={[
              { header: t('security.name'), cell: (p) => p.name },
              {
                header: t('security.kind'),
                cell: (p) => (
                  <Badge variant="light" color="gray">
                    {p.backedUp ? t('security.synced') : t('security.onThisDevice')}
                  </Badge>
                ),
              },
              { header: t('security.added'), cell: (p) => dateTime(p.createdAt) },
              { header: t('security.lastUsed'), cell: (p) => (p.lastUsedAt ? dateTime(p.lastUsedAt) : '—') },
            ]}
            actions={[
              {
                label: t('security.remove'),
                effect: (p) => t('security.removeEffect', { name: p.name }),
                color: 'red.9',
                run: (p) => remove({ variables: { id: p.id } }),
              },
            ]}
          />
        )}
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('security.newName')}
            description={t('security.newNameHelp')}
            value={name}
            maxLength={60}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Button loading={busy} disabled={!name.trim()} onClick={() => void add()}>
            {t('security.add')}
          </Button>
        </Group>
        {cancelled ? <Alert color="yellow">{t('security.cancelled')}</Alert> : <ErrorNotice error={failure} />}
      </Stack>
    </Section>
  );
}

/** Security, for every person: passkeys, the authenticator app, and where they are signed in. */
/** GDPR art. 15: everything the platform holds about the person, as a file they keep. */
function YourData() {
  const { t } = useTranslation();
  const client = useApolloClient();
  const { exporting, exportError, start } = useExport(async () => {
    const { data } = await client.query({ query: MyPersonalDataDocument, fetchPolicy: 'network-only' });
    saveFile(
      JSON.stringify(data?.myPersonalData, null, 2),
      `harbourwatch-my-data-${new Date().toISOString().slice(0, 10)}.json`,
      'application/json',
    );
  });
  return (
    <Section title={t('security.yourData')}>
      <Stack gap="xs">
        <Text size="sm">{t('security.yourDataHelp')}</Text>
        <ErrorNotice error={exportError} />
        <Group>
          <Button variant="default" loading={exporting} onClick={start}>
            {t('security.downloadData')}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}

export default function SecurityPage() {
  const { t } = useTranslation();
  const me = useQuery(ViewerDocument);
  const totpEnabled = me.data?.me.user.totpEnabled;
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('security.title')}
      </Title>
      <Passkeys />
      <Section title={t('security.totp')}>
        {totpEnabled === undefined ? (
          <Loading />
        ) : totpEnabled ? (
          <Text size="sm">{t('security.totpOn')}</Text>
        ) : (
          <TotpEnrolment intro={t('security.totpIntro')} onDone={() => me.refetch()} />
        )}
      </Section>
      <YourData />
      <Anchor component={Link} to={CONSOLE_ROUTES.sessions}>
        {t('security.sessions')}
      </Anchor>
    </Stack>
  );
}
