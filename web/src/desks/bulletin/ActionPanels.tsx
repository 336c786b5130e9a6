import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCODE } from '../../../../src/shared/locode';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { SightingLine } from '../../components/SightingLine';
import { options, RESPONSE_ACTIONS } from '../../format/enums';
import { dateTime } from '../../format/time';
import {
  BulletinReachDocument,
  type BulletinPageQuery,
  RecordSightingDocument,
  RespondDocument,
  type ResponseAction,
  type SightingKind,
} from '../../gql/graphql';
import { DataTable } from '../../components/DataTable';
import { DateField } from '../../components/DateField';

type Bulletin = BulletinPageQuery['bulletin'];

const localNow = () => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/**
 * A form that opens when asked for: the page leads with what the bulletin says (and, once revised,
 * what changed), not with empty fields.
 */
function OnDemand({ label, children }: { label: string; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  if (open) return children;
  return (
    <Button variant="default" w="fit-content" aria-expanded={false} onClick={() => setOpen(true)}>
      {label}
    </Button>
  );
}

/**
 * The response the author asked for: a recipient's analysts and admins answer once for their
 * organisation; the author sees every organisation's answer (the server sends nothing else).
 */
export function Responses({ b, author, writer }: { b: Bulletin; author: boolean; writer: boolean }) {
  const { t } = useTranslation();
  const [respond, responding] = useMutation(RespondDocument);
  const [action, setAction] = useState<ResponseAction | null>(null);
  const [note, setNote] = useState('');
  const own = author ? undefined : b.responses[0];
  if (!b.responseDueAt && !b.responses.length && !(writer && !author && b.status === 'PUBLISHED')) return null;
  return (
    <Stack component="section" aria-label={t('bulletin.responses')} gap="xs">
      <Title order={2} size="h3">
        {t('bulletin.responses')}
      </Title>
      {b.responseDueAt && (
        <Text size="sm">{t('bulletin.responseDue', { date: dateTime(b.responseDueAt, b.ports[0]) })}</Text>
      )}
      {author && (
        <DataTable
          rows={b.responses}
          rowKey={(r) => r.organisation.id}
          testId="responses"
          minWidth={480}
          columns={[
            { header: t('bulletin.organisation'), cell: (r) => r.organisation.name },
            {
              header: t('bulletin.response'),
              cell: (r) =>
                r.action ? (
                  `${t(`enums.responseAction.${r.action}`)} · ${dateTime(r.respondedAt!)}`
                ) : r.overdue ? (
                  <Badge color="red.9" variant="filled">
                    {t('bulletin.overdue')}
                  </Badge>
                ) : (
                  t('bulletin.awaited')
                ),
            },
            { header: t('bulletin.note'), cell: (r) => r.note },
          ]}
        />
      )}
      {own?.action && (
        <Card withBorder padding="xs">
          <Text size="sm">
            {t('bulletin.yourResponse', {
              action: t(`enums.responseAction.${own.action}`),
              date: dateTime(own.respondedAt!),
            })}
          </Text>
          {own.note && <Text size="sm">{own.note}</Text>}
        </Card>
      )}
      {!author && !own?.action && own?.overdue && (
        <Alert color="red" variant="outline" title={t('bulletin.overdue')}>
          {t('bulletin.overdueHelp')}
        </Alert>
      )}
      {!author && writer && !own?.action && b.status === 'PUBLISHED' && (
        <OnDemand label={t('bulletin.respondOpen')}>
          <Stack gap="xs">
            <Select
              label={t('bulletin.responseAction')}
              data={options(t, 'responseAction', RESPONSE_ACTIONS)}
              value={action}
              onChange={(v) => setAction(v as ResponseAction | null)}
            />
            <Textarea
              label={t('bulletin.note')}
              description={t('bulletin.responseNoteHelp')}
              value={note}
              maxLength={2000}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <ErrorNotice error={responding.error} />
            <Button
              disabled={!action}
              loading={responding.loading}
              onClick={() =>
                void respond({ variables: { id: b.id, action: action!, note: note.trim() || null } }).catch(
                  () => undefined,
                )
              }
            >
              {t('bulletin.respond')}
            </Button>
          </Stack>
        </OnDemand>
      )}
    </Stack>
  );
}

/** Where the bulletin's indicators were seen: visible to everyone who reads the bulletin. */
export function Sightings({ b }: { b: Bulletin }) {
  const { t } = useTranslation();
  const [record, recording] = useMutation(RecordSightingDocument, {
    update: (cache, { data }) =>
      cache.modify({
        id: cache.identify({ __typename: 'Bulletin', id: b.id }),
        fields: { sightings: (existing = [], { toReference }) => [toReference(data!.recordSighting)!, ...existing] },
      }),
  });
  const [indicator, setIndicator] = useState<string | null>(null);
  const [kind, setKind] = useState<SightingKind>('SEEN');
  const [port, setPort] = useState(b.ports[0] ?? '');
  const [seenAt, setSeenAt] = useState(localNow);
  const [note, setNote] = useState('');
  const chosen = b.indicators.find((i) => `${i.type}:${i.value}` === indicator);
  const portValid = LOCODE.test(port);
  return (
    <Stack component="section" aria-label={t('bulletin.sightings')} gap="xs">
      <Title order={2} size="h3">
        {t('bulletin.sightings')}
      </Title>
      {b.sightings.length === 0 && <Text c="dimmed">{t('bulletin.noSightings')}</Text>}
      {b.sightings.map((s) => (
        <SightingLine key={s.id} s={s} />
      ))}
      {b.status === 'PUBLISHED' && b.indicators.length > 0 && (
        <OnDemand label={t('bulletin.recordSighting')}>
          <Card withBorder padding="sm">
            <Stack gap="xs">
              <Text fw={600} size="sm">
                {t('bulletin.recordSighting')}
              </Text>
              <Group grow wrap="wrap" align="flex-start">
                <Select
                  label={t('bulletin.indicator')}
                  data={b.indicators.map((i) => ({ value: `${i.type}:${i.value}`, label: i.value }))}
                  value={indicator}
                  onChange={setIndicator}
                />
                <Select
                  label={t('bulletin.sightingKind')}
                  data={options(t, 'sightingKind', ['SEEN', 'FALSE_POSITIVE'])}
                  value={kind}
                  allowDeselect={false}
                  onChange={(v) => v && setKind(v as SightingKind)}
                />
              </Group>
              <Group grow wrap="wrap" align="flex-start">
                <TextInput
                  label={t('bulletin.port')}
                  description={t('bulletin.portHelp')}
                  value={port}
                  error={port && !portValid ? t('compose.portInvalid') : undefined}
                  onChange={(e) => setPort(e.currentTarget.value.trim().toUpperCase())}
                />
                <DateField withTime required label={t('bulletin.seenAt')} value={seenAt} onChange={setSeenAt} />
              </Group>
              <TextInput
                label={t('bulletin.note')}
                value={note}
                maxLength={2000}
                onChange={(e) => setNote(e.currentTarget.value)}
              />
              <Text size="xs" c="dimmed">
                {t('bulletin.sightingEffect')}
              </Text>
              <ErrorNotice error={recording.error} />
              <Button
                disabled={!chosen || !portValid || !seenAt}
                loading={recording.loading}
                onClick={() =>
                  void record({
                    variables: {
                      input: {
                        bulletinId: b.id,
                        indicatorType: chosen!.type,
                        value: chosen!.value,
                        kind,
                        port,
                        seenAt: new Date(seenAt).toISOString(),
                        note: note.trim() || null,
                      },
                    },
                  })
                    .then(() => setNote(''))
                    .catch(() => undefined)
                }
              >
                {t('bulletin.recordSightingButton')}
              </Button>
            </Stack>
          </Card>
        </OnDemand>
      )}
    </Stack>
  );
}

/** The originator's view: what each organisation did with the bulletin (author's analysts and admins). */
export function Reach({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data, error } = useQuery(BulletinReachDocument, { variables: { id }, fetchPolicy: 'network-only' });
  if (error) return <ErrorNotice error={error} />;
  if (!data) return <Loading />;
  const reach = data.bulletin.reach ?? [];
  const when = (d: string | null | undefined) => (d ? dateTime(d) : '–');
  return (
    <Stack component="section" aria-label={t('bulletin.reach')} gap="xs">
      <Title order={2} size="h3">
        {t('bulletin.reach')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('bulletin.reachHelp')}
      </Text>
      <DataTable
        rows={reach}
        rowKey={(r) => r.organisation.id}
        testId="reach"
        minWidth={640}
        columns={[
          {
            header: t('bulletin.organisation'),
            cell: (r) => (
              <>
                {r.organisation.name}
                {r.people.map((p) => (
                  <Text key={p.user.id} size="xs" c="dimmed">
                    {p.user.displayName}
                    {p.openedAt ? ` · ${t('bulletin.openedOn', { date: dateTime(p.openedAt) })}` : ''}
                    {p.exportedAt ? ` · ${t('bulletin.exportedOn', { date: dateTime(p.exportedAt) })}` : ''}
                  </Text>
                ))}
              </>
            ),
          },
          {
            header: t('bulletin.opened'),
            cell: (r) => (r.openedAt ? t('bulletin.opens', { count: r.opens, date: dateTime(r.openedAt) }) : '–'),
          },
          {
            header: t('bulletin.exported'),
            cell: (r) => (r.exportedAt ? `${r.exportFormats.join(', ')} · ${when(r.exportedAt)}` : '–'),
          },
          { header: t('bulletin.acknowledged'), cell: (r) => when(r.acknowledgedAt) },
          {
            header: t('bulletin.response'),
            cell: (r) => (r.response ? t(`enums.responseAction.${r.response}`) : '–'),
          },
        ]}
      />
    </Stack>
  );
}
