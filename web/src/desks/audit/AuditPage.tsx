import { useApolloClient, useQuery } from '@apollo/client/react';
import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { allPages } from '../../format/all-pages';
import { saveFile, toCsv } from '../../format/files';
import { dateTime } from '../../format/time';
import { type AuditEventFilter, AuditTrailDocument, OrganisationMembersDocument } from '../../gql/graphql';
import { useConnection } from '../../session/useConnection';
import { period, PeriodExport, useExport } from '../../components/PeriodExport';

const PAGE = 50;
/** An export reads the trail page by page (within the server's query cost limit), up to this many events. */
const EXPORT_PAGE = 100;
const EXPORT_LIMIT = 5000;

export default function AuditPage() {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [draft, setDraft] = useState({ actorUserId: '', action: '', objectType: '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditEventFilter>({});
  const { data, loading, error, fetchMore } = useQuery(AuditTrailDocument, {
    variables: { filter, first: PAGE },
    fetchPolicy: 'network-only',
  });
  const { nodes: members } = useConnection(useQuery(OrganisationMembersDocument).data?.members);
  const { organisations } = useOrganisationDirectory();
  const who = (id?: string | null) => (id ? (members.find((m) => m.userId === id)?.displayName ?? id) : '—');
  const org = (id?: string | null) => (id ? (organisations.find((o) => o.id === id)?.name ?? id) : '—');

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    setFilter({
      actorUserId: draft.actorUserId || null,
      action: draft.action.trim() || null,
      objectType: draft.objectType.trim() || null,
      ...period(draft.from, draft.to),
    });
  };

  const {
    exporting,
    exportError,
    start: exportCsv,
  } = useExport(async () => {
    const rows = await allPages(client, AuditTrailDocument, { filter }, (d) => d.auditEvents, {
      pageSize: EXPORT_PAGE,
      limit: EXPORT_LIMIT,
    });
    const header = [
      'seq',
      'at',
      'actor',
      'actor organisation',
      'action',
      'object type',
      'object id',
      'subject organisation',
    ];
    const lines = rows.map((r) => [
      r.seq,
      r.at,
      who(r.actorUserId),
      org(r.actorOrganisationId),
      r.action,
      r.objectType,
      r.objectId,
      org(r.subjectOrganisationId),
    ]);
    saveFile(toCsv([header, ...lines]), `audit-trail-${new Date().toISOString().slice(0, 10)}.csv`);
  });

  const { nodes: events, more } = useConnection(data?.auditEvents, fetchMore);
  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('audit.title')}
      </Title>
      <Text>{t('audit.help')}</Text>
      <form onSubmit={apply} aria-label={t('audit.filters')}>
        <Group align="flex-end">
          <Select
            label={t('audit.actor')}
            clearable
            searchable
            data={members.map((m) => ({ value: m.userId, label: m.displayName }))}
            value={draft.actorUserId || null}
            onChange={(v) => setDraft({ ...draft, actorUserId: v ?? '' })}
          />
          <TextInput
            label={t('audit.action')}
            placeholder="publishBulletin"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
          />
          <TextInput
            label={t('audit.objectType')}
            placeholder="Bulletin"
            value={draft.objectType}
            onChange={(e) => setDraft({ ...draft, objectType: e.currentTarget.value })}
          />
          <PeriodExport
            from={draft.from}
            to={draft.to}
            onChange={(range) => setDraft({ ...draft, ...range })}
            exporting={exporting}
            onExport={exportCsv}
            exportLabel={t('audit.export')}
          />
        </Group>
      </form>
      <ErrorNotice error={error ?? exportError} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          rows={events}
          rowKey={(e) => String(e.seq)}
          label={t('audit.title')}
          minWidth={800}
          empty={t('audit.none')}
          columns={[
            { header: t('audit.at'), cell: (e) => dateTime(e.at) },
            {
              header: t('audit.actor'),
              cell: (e) => (
                <>
                  {who(e.actorUserId)}
                  <Text size="xs" c="dimmed">
                    {org(e.actorOrganisationId)}
                  </Text>
                </>
              ),
            },
            { header: t('audit.action'), cell: (e) => e.action },
            {
              header: t('audit.object'),
              cell: (e) => (
                <>
                  {e.objectType}
                  <Text size="xs" c="dimmed">
                    {e.objectId ?? ''}
                  </Text>
                </>
              ),
            },
            { header: t('audit.subject'), cell: (e) => org(e.subjectOrganisationId) },
          ]}
        />
      )}
      {more && (
        <Button variant="default" w="fit-content" onClick={more}>
          {t('audit.more')}
        </Button>
      )}
    </Stack>
  );
}
