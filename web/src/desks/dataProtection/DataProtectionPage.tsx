import { useApolloClient, useQuery } from '@apollo/client/react';
import { Alert, Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { period, PeriodExport, useExport } from '../../components/PeriodExport';
import { Section } from '../../components/Section';
import { allPages } from '../../format/all-pages';
import { options } from '../../format/enums';
import { saveFile, toCsv } from '../../format/files';
import { dateTime } from '../../format/time';
import {
  DataSubjectRequestsDocument,
  type ProcessingLogFilter,
  ProcessingLogDocument,
  type ProcessingOperation,
  ViewerDocument,
} from '../../gql/graphql';
import { useConnection } from '../../session/useConnection';
import { Register } from './Register';

const OPERATIONS: ProcessingOperation[] = [
  'COLLECTION',
  'ALTERATION',
  'CONSULTATION',
  'DISCLOSURE',
  'COMBINATION',
  'ERASURE',
];

/** LED art. 25: who did what with the organisation's data, when, why and for whom; exportable for the supervisory authority. */
function ProcessingLog() {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [draft, setDraft] = useState({ operation: '', from: '', to: '' });
  const [filter, setFilter] = useState<ProcessingLogFilter>({});
  const { data, loading, error, fetchMore } = useQuery(ProcessingLogDocument, {
    variables: { filter, first: 50 },
    fetchPolicy: 'network-only',
  });
  const { nodes: entries, more } = useConnection(data?.processingLog, fetchMore);
  const {
    exporting,
    exportError,
    start: exportCsv,
  } = useExport(async () => {
    const rows = await allPages(client, ProcessingLogDocument, { filter }, (d) => d.processingLog, {
      limit: 50_000,
    });
    const header = ['at', 'operation', 'action', 'person', 'object type', 'object id', 'justification', 'recipients'];
    const lines = rows.map((r) => [
      r.at,
      r.operation,
      r.action,
      r.actorName ?? '',
      r.objectType,
      r.objectId,
      r.justification,
      r.recipients,
    ]);
    saveFile(toCsv([header, ...lines]), `processing-log-${new Date().toISOString().slice(0, 10)}.csv`);
  });

  return (
    <Section title={t('dataProtection.log')}>
      <Stack gap="xs">
        <Text size="sm">{t('dataProtection.logHelp')}</Text>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setFilter({
              operation: (draft.operation || null) as ProcessingOperation | null,
              ...period(draft.from, draft.to),
            });
          }}
        >
          <Group align="end">
            <Select
              label={t('dataProtection.operation')}
              clearable
              data={options(t, 'operation', OPERATIONS)}
              value={draft.operation || null}
              onChange={(v) => setDraft({ ...draft, operation: v ?? '' })}
            />
            <PeriodExport
              from={draft.from}
              to={draft.to}
              onChange={(range) => setDraft({ ...draft, ...range })}
              exporting={exporting}
              onExport={exportCsv}
              exportLabel={t('dataProtection.export')}
            />
          </Group>
        </form>
        <ErrorNotice error={error ?? exportError} />
        {loading && !data && <Loading />}
        {data && (
          <DataTable
            rows={entries}
            rowKey={(e) => e.seq}
            label={t('dataProtection.log')}
            testId="processing-log"
            minWidth={900}
            empty={t('dataProtection.noEntries')}
            columns={[
              { header: t('audit.at'), cell: (e) => dateTime(e.at) },
              { header: t('dataProtection.operation'), cell: (e) => t(`enums.operation.${e.operation}`) },
              { header: t('dataProtection.person'), cell: (e) => e.actorName ?? t('dataProtection.platform') },
              {
                header: t('dataProtection.what'),
                cell: (e) => (
                  <Text size="sm" ff="monospace">
                    {e.action} {e.objectId ?? ''}
                  </Text>
                ),
              },
              { header: t('dataProtection.justification'), cell: (e) => e.justification ?? '—' },
              { header: t('dataProtection.recipients'), cell: (e) => e.recipients ?? '—' },
            ]}
          />
        )}
        {more && (
          <Button variant="default" w="fit-content" onClick={more}>
            {t('audit.more')}
          </Button>
        )}
      </Stack>
    </Section>
  );
}

/** Access and erasure requests, and what was done about each. */
function Requests() {
  const { t } = useTranslation();
  const { data, error } = useQuery(DataSubjectRequestsDocument, { fetchPolicy: 'network-only' });
  const { nodes: requests } = useConnection(data?.dataSubjectRequests);
  return (
    <Section title={t('dataProtection.requests')}>
      <ErrorNotice error={error} />
      {data && (
        <DataTable
          rows={requests}
          rowKey={(r) => r.id}
          label={t('dataProtection.requests')}
          testId="data-subject-requests"
          empty={t('dataProtection.noRequests')}
          columns={[
            { header: t('dataProtection.received'), cell: (r) => dateTime(r.receivedAt) },
            { header: t('dataProtection.kind'), cell: (r) => t(`enums.requestKind.${r.kind}`) },
            { header: t('dataProtection.subject'), cell: (r) => r.subjectName ?? '—' },
            {
              header: t('dataProtection.outcome'),
              cell: (r) =>
                r.kind === 'ERASURE'
                  ? ((r.outcome as { label?: string }).label ?? t('dataProtection.membershipOnly'))
                  : t('dataProtection.answered'),
            },
          ]}
        />
      )}
    </Section>
  );
}

/** The data protection officer's desk: the register with what is in force, the processing log, the requests. */
export default function DataProtectionPage() {
  const { t } = useTranslation();
  const me = useQuery(ViewerDocument).data?.me;
  if (!me) return <Loading />;
  if (me.role !== 'DPO')
    return (
      <Alert color="red" role="alert" title={t('dataProtection.title')}>
        {t('dataProtection.dpoOnly')}
      </Alert>
    );
  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('dataProtection.title')}
      </Title>
      <Register />
      <ProcessingLog />
      <Requests />
    </Stack>
  );
}
