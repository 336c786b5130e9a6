import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Card,
  Checkbox,
  Code,
  Group,
  NumberInput,
  PasswordInput,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import {
  AcceptWhistleblowerReportsDocument,
  OrganisationMembersDocument,
  SetCaseHandlerDocument,
  ViewerDocument,
  WhistleblowerIntakeDocument,
} from '../../gql/graphql';
import { useConnection } from '../../session/useConnection';

/** Organisation admins: whether the organisation takes whistleblower reports, for how long, and who handles them. */
function Intake() {
  const { t } = useTranslation();
  const { data, error, refetch } = useQuery(WhistleblowerIntakeDocument, { fetchPolicy: 'network-only' });
  const { nodes: members } = useConnection(useQuery(OrganisationMembersDocument).data?.members);
  const [accept] = useMutation(AcceptWhistleblowerReportsDocument);
  const [setHandler] = useMutation(SetCaseHandlerDocument);
  const [days, setDays] = useState<number | string>('');
  // Shown once, from the answer that created the key: kept in this component only, never stored.
  const [recoveryKeyShown, setRecoveryKeyShown] = useState<string | null>(null);
  const [recoveryKey, setRecoveryKey] = useState('');
  if (error) return <ErrorNotice error={error} />;
  if (!data) return <Loading />;
  const intake = data.whistleblowerIntake;
  const retentionDays = typeof days === 'number' ? days : intake.retentionDays;
  const candidates = members.filter((m) => m.role === 'ANALYST' || m.role === 'ORG_ADMIN');
  const isHandler = (m: { userId: string }) => intake.handlerUserIds.includes(m.userId);
  const designate = (userId: string, handler: boolean) =>
    setHandler({ variables: { userId, handler, recoveryKey: recoveryKey || null } }).then(() => refetch());
  return (
    <Stack>
      <Card withBorder component="section" aria-label={t('intake.reports')}>
        <Stack gap="xs">
          <Group gap="xs">
            <Title order={2} size="h4">
              {t('intake.reports')}
            </Title>
            <Badge variant="filled" color={intake.accepting ? 'teal.9' : 'gray.2'}>
              {intake.accepting ? t('intake.open') : t('intake.closed')}
            </Badge>
          </Group>
          <NumberInput
            label={t('intake.retention')}
            description={t('intake.retentionHelp')}
            min={30}
            max={3650}
            w={260}
            value={days === '' ? intake.retentionDays : days}
            onChange={setDays}
          />
          <Group>
            <ConfirmButton
              label={intake.accepting ? t('intake.save') : t('intake.openButton')}
              title={intake.accepting ? t('intake.save') : t('intake.openButton')}
              effect={intake.accepting ? t('intake.saveEffect', { days: retentionDays }) : t('intake.openEffect')}
              confirm={intake.accepting ? t('intake.save') : t('intake.openButton')}
              onConfirm={() =>
                accept({ variables: { accept: true, retentionDays } }).then((r) => {
                  const key = r.data?.acceptWhistleblowerReports.recoveryKey;
                  if (key) setRecoveryKeyShown(key);
                  return refetch();
                })
              }
            />
            {intake.accepting && (
              <ConfirmButton
                label={t('intake.closeButton')}
                title={t('intake.closeButton')}
                effect={t('intake.closeEffect')}
                confirm={t('intake.closeButton')}
                color="red.9"
                onConfirm={() => accept({ variables: { accept: false } }).then(() => refetch())}
              />
            )}
          </Group>
          {recoveryKeyShown && (
            <Alert color="red" title={t('intake.recoveryTitle')} role="alert">
              <Stack gap="xs">
                <Text>{t('intake.recoveryHelp')}</Text>
                <Code block data-testid="recovery-key">
                  {recoveryKeyShown}
                </Code>
              </Stack>
            </Alert>
          )}
        </Stack>
      </Card>
      {intake.accepting && (
        <Card withBorder component="section" aria-label={t('intake.handlers')}>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('intake.handlers')}
            </Title>
            <Text>{t('intake.handlersHelp')}</Text>
            <PasswordInput
              label={t('intake.recoveryKey')}
              description={t('intake.recoveryKeyHelp')}
              w={420}
              autoComplete="off"
              value={recoveryKey}
              onChange={(e) => setRecoveryKey(e.currentTarget.value)}
            />
            <DataTable
              rows={candidates}
              rowKey={(m) => m.userId}
              label={t('intake.handlers')}
              columns={[
                {
                  cell: (m) => (
                    <Checkbox readOnly checked={isHandler(m)} label={m.displayName} aria-label={m.displayName} />
                  ),
                },
                { cell: (m) => t(`enums.role.${m.role}`) },
              ]}
              actions={[
                {
                  label: t('intake.designate'),
                  when: (m) => !isHandler(m),
                  name: (m) => `${t('intake.designate')} ${m.displayName}`,
                  effect: (m) => t('intake.designateEffect', { name: m.displayName }),
                  run: (m) => designate(m.userId, true),
                },
                {
                  label: t('intake.remove'),
                  when: isHandler,
                  name: (m) => `${t('intake.remove')} ${m.displayName}`,
                  effect: (m) => t('intake.removeEffect', { name: m.displayName }),
                  run: (m) => designate(m.userId, false),
                },
              ]}
            />
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

export default function IntakePage() {
  const { t } = useTranslation();
  const me = useQuery(ViewerDocument).data?.me;
  if (!me) return <Loading />;
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('intake.title')}
      </Title>
      <Text>{t('intake.help')}</Text>
      {me.role === 'ORG_ADMIN' ? (
        <Intake />
      ) : (
        <Alert color="red" role="alert">
          {t('intake.adminsOnly')}
        </Alert>
      )}
    </Stack>
  );
}
