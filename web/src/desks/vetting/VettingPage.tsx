import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath, CONSOLE_ROUTES } from '../../../../src/shared/console-routes';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useExport } from '../../components/PeriodExport';
import { Section } from '../../components/Section';
import { saveFile } from '../../format/files';
import { Loading } from '../../components/Loading';
import { options, VETTING_STATUSES } from '../../format/enums';
import { count, dateTime, day } from '../../format/time';
import {
  SetVettingRetentionDocument,
  type VettingRecordRowFragment,
  VettingRecordsDocument,
  VettingRetentionDocument,
  type VettingStatus,
  VettingSubjectAccessDocument,
} from '../../gql/graphql';
import { IssuingCountryField, subjectLabel, VettingStatusBadge } from './SubjectSummary';
import { useVettingDesk } from './useVettingDesk';
import { useConnection } from '../../session/useConnection';

/** Days ahead the "expiring soon" list looks, as the expiry reminders do by default. */
const SOON_DAYS = 30;

/** Records as a list of cards, readable on a gate officer's phone as on a desk. */
function RecordList({ records, label }: { records: VettingRecordRowFragment[]; label: string }) {
  const { t } = useTranslation();
  if (!records.length) return <Text c="dimmed">{t('vetting.none')}</Text>;
  return (
    <Stack gap="xs" component="ul" aria-label={label} p={0} m={0} style={{ listStyle: 'none' }}>
      {records.map((r) => (
        <Paper component="li" withBorder p="sm" key={r.id}>
          <Group justify="space-between" gap="xs">
            <Text fw={600} component={Link} to={consolePath('vettingRecord', { id: r.id })} td="underline">
              {subjectLabel(r.subject)}
            </Text>
            <VettingStatusBadge status={r.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {[
              t(`enums.vettingLevel.${r.level}`),
              r.validUntil ? t('vetting.validUntil', { date: day(r.validUntil) }) : null,
              t('vetting.employedBy', { organisation: r.employerOrganisation.name }),
              t('vetting.vettedBy', { organisation: r.vettingAuthority.name }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

function Retention({ admin }: { admin: boolean }) {
  const { t } = useTranslation();
  const { data, error } = useQuery(VettingRetentionDocument, { fetchPolicy: 'network-only' });
  const [set] = useMutation(SetVettingRetentionDocument);
  const [days, setDays] = useState<number | string>('');
  const rule = data?.vettingRetention;
  return (
    <Card withBorder component="section" aria-label={t('vetting.retention.title')}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('vetting.retention.title')}
        </Title>
        <ErrorNotice error={error} />
        {rule && (
          <>
            <Text>{t('vetting.retention.rule', { days: count(rule.days) })}</Text>
            <Text data-testid="retention-counts">
              {t('vetting.retention.due', { count: rule.dueNow })}{' '}
              {rule.lastPurgedAt
                ? t('vetting.retention.last', { date: dateTime(rule.lastPurgedAt), count: rule.lastPurged })
                : t('vetting.retention.never')}{' '}
              {t('vetting.retention.total', { count: rule.purgedTotal })}
            </Text>
            {admin && (
              <Group align="flex-end">
                <NumberInput
                  label={t('vetting.retention.days')}
                  min={30}
                  max={3650}
                  w={220}
                  value={days}
                  placeholder={String(rule.days)}
                  onChange={setDays}
                />
                <ConfirmButton
                  label={t('vetting.retention.change')}
                  title={t('vetting.retention.change')}
                  effect={t('vetting.retention.effect', { days: Number(days) })}
                  confirm={t('vetting.retention.change')}
                  disabled={typeof days !== 'number' || days < 30 || days > 3650 || days === rule.days}
                  onConfirm={() => set({ variables: { days: Number(days) } }).then(() => setDays(''))}
                />
              </Group>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}

function Records() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<VettingStatus | null>(null);
  const soonBefore = useMemo(() => new Date(Date.now() + SOON_DAYS * 86_400_000).toISOString(), []);
  const soon = useQuery(VettingRecordsDocument, {
    variables: { filter: { expiringBefore: soonBefore } },
    fetchPolicy: 'network-only',
  });
  const all = useQuery(VettingRecordsDocument, {
    variables: { filter: status ? { status } : null },
    fetchPolicy: 'network-only',
  });
  const expiring = useConnection(soon.data?.vettingRecords);
  const page = all.data?.vettingRecords;
  const { nodes: records, more } = useConnection(page, all.fetchMore);
  return (
    <>
      <Stack component="section" aria-label={t('vetting.soon', { days: SOON_DAYS })} gap="xs">
        <Title order={2} size="h4">
          {t('vetting.soon', { days: SOON_DAYS })}
        </Title>
        <ErrorNotice error={soon.error} />
        {soon.data ? (
          <RecordList label={t('vetting.soon', { days: SOON_DAYS })} records={expiring.nodes} />
        ) : (
          <Loading />
        )}
      </Stack>
      <Stack component="section" aria-label={t('vetting.all')} gap="xs">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h4">
            {t('vetting.all')}
          </Title>
          <Select
            label={t('vetting.status')}
            placeholder={t('vetting.anyStatus')}
            clearable
            w={200}
            data={options(t, 'vettingStatus', VETTING_STATUSES)}
            value={status}
            onChange={(v) => setStatus(v as VettingStatus | null)}
          />
        </Group>
        <ErrorNotice error={all.error} />
        {page ? <RecordList label={t('vetting.all')} records={records} /> : <Loading />}
        {more && (
          <Button variant="default" onClick={more}>
            {t('vetting.more')}
          </Button>
        )}
      </Stack>
    </>
  );
}

/**
 * A vetting subject asks what the authority holds on them: every record it holds, in full, as a file to
 * hand over. The request is kept for the organisation's DPO (without the identity).
 */
function SubjectAccess() {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [documentNumber, setDocumentNumber] = useState('');
  const [issuingCountry, setIssuingCountry] = useState('');
  const [answered, setAnswered] = useState<number | null>(null);
  const { exporting, exportError, start } = useExport(async () => {
    const { data } = await client.query({
      query: VettingSubjectAccessDocument,
      variables: { documentNumber, issuingCountry: issuingCountry.toUpperCase() },
      fetchPolicy: 'network-only',
    });
    const records = data?.vettingSubjectAccess ?? [];
    saveFile(
      JSON.stringify({ answeredAt: new Date().toISOString(), records }, null, 2),
      `vetting-subject-access-${new Date().toISOString().slice(0, 10)}.json`,
      'application/json',
    );
    setAnswered(records.length);
  });
  return (
    <Section title={t('vetting.subjectAccess')}>
      <Stack
        component="form"
        gap="xs"
        onSubmit={(e) => {
          e.preventDefault();
          setAnswered(null);
          start();
        }}
      >
        <Text size="sm">{t('vetting.subjectAccessHelp')}</Text>
        <Group align="flex-end">
          <TextInput
            label={t('gate.document')}
            required
            autoComplete="off"
            value={documentNumber}
            onChange={(e) => setDocumentNumber(e.currentTarget.value)}
          />
          <IssuingCountryField value={issuingCountry} onChange={setIssuingCountry} />
          <Button type="submit" variant="default" loading={exporting}>
            {t('vetting.subjectAccessAnswer')}
          </Button>
        </Group>
        <ErrorNotice error={exportError} />
        {answered !== null && (
          <Text size="sm" role="status">
            {t('vetting.subjectAccessDone', { count: answered })}
          </Text>
        )}
      </Stack>
    </Section>
  );
}

export default function VettingPage() {
  const { t } = useTranslation();
  const desk = useVettingDesk();
  if (!desk) return <Loading />;
  if (!desk.reader)
    return (
      <Alert color="red" role="alert" title={t('vetting.title')}>
        {t('vetting.readersOnly')}
      </Alert>
    );
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('vetting.title')}
      </Title>
      <Text>{t(desk.authority ? 'vetting.helpAuthority' : 'vetting.helpEmployer')}</Text>
      <Group gap="xs">
        {desk.authority && (
          <Button component={Link} to={CONSOLE_ROUTES.vettingNew}>
            {t('vetting.new')}
          </Button>
        )}
        <Button component={Link} to={CONSOLE_ROUTES.gate} variant="default">
          {t('shell.desks.gate')}
        </Button>
        {desk.authority && (
          <Button component={Link} to={CONSOLE_ROUTES.crossMatch} variant="default">
            {t('shell.desks.crossMatch')}
          </Button>
        )}
      </Group>
      <Records />
      {desk.authority && <Retention admin={desk.admin} />}
      {desk.authority && <SubjectAccess />}
    </Stack>
  );
}
