import { useQuery, useSubscription } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { BulletinBadges } from '../../components/BulletinBadges';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { TLP_LEVELS } from '../../components/Tlp';
import { CATEGORIES, credibilityOptions, options, reliabilityOptions, SEVERITIES, STATUSES } from '../../format/enums';
import { dateTime } from '../../format/time';
import {
  BulletinEventsDocument,
  FeedDocument,
  type FeedBulletinFragment,
  OverdueResponsesDocument,
  ViewerDocument,
} from '../../gql/graphql';
import { isWriter } from '../../session/roles';
import { useSession } from '../../session/useSession';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { filterFrom, matches } from './filters';
import { useConnection } from '../../session/useConnection';

const PAGE = 50;

function FeedItem({ b, organisationId }: { b: FeedBulletinFragment; organisationId?: string }) {
  const { t } = useTranslation();
  const unread = b.readVersion === null;
  const revised = b.readVersion !== null && b.readVersion < b.version;
  const acknowledged = b.acknowledgements.some((a) => a.organisation.id === organisationId);
  return (
    <Card withBorder padding="sm" component="article" className={unread ? 'feed-item-unread' : undefined}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <BulletinBadges b={b} />
          <Anchor component={Link} to={consolePath('bulletin', { id: b.id })} fw={unread ? 700 : 500}>
            {b.title}
          </Anchor>
          <Text size="sm" lineClamp={2}>
            {b.summary}
          </Text>
          <Text size="xs" c="dimmed">
            {b.authorOrganisation.name} · {t(`enums.category.${b.category}`)}
            {b.ports.length ? ` · ${b.ports.join(', ')}` : ''}
            {b.publishedAt ? ` · ${dateTime(b.publishedAt, b.ports[0])}` : ''}
          </Text>
          {b.responseDueAt && (
            <Text size="xs">{t('feed.responseDue', { date: dateTime(b.responseDueAt, b.ports[0]) })}</Text>
          )}
        </Stack>
        <Stack gap={4} align="flex-end">
          {unread && <Badge variant="filled">{t('feed.unread')}</Badge>}
          {revised && (
            <Badge color="grape.9" variant="filled">
              {t('feed.revised')}
            </Badge>
          )}
          {acknowledged && (
            <Badge color="teal.9" variant="filled">
              {t('feed.acknowledged')}
            </Badge>
          )}
        </Stack>
      </Group>
    </Card>
  );
}

/** Responses the caller's organisation asked for and is still waiting on past their deadline. */
function OverdueResponses() {
  const { t } = useTranslation();
  const { data } = useQuery(OverdueResponsesDocument, { fetchPolicy: 'cache-and-network' });
  if (!data?.overdueResponses.length) return null;
  return (
    <Card withBorder padding="sm" component="section" aria-label={t('feed.overdue')}>
      <Text fw={600}>{t('feed.overdue')}</Text>
      {data.overdueResponses.map((r) => (
        <Text size="sm" key={`${r.bulletin.id}:${r.organisation.id}`}>
          {r.organisation.name} ·{' '}
          <Anchor component={Link} to={consolePath('bulletin', { id: r.bulletin.id })}>
            {r.bulletin.title}
          </Anchor>{' '}
          · {t('feed.dueWas', { date: dateTime(r.dueAt) })}
        </Text>
      ))}
    </Card>
  );
}

export default function FeedPage() {
  const { t } = useTranslation();
  const current = useSession();
  const me = useQuery(ViewerDocument).data?.me;
  const writer = !!me && isWriter(me);
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFrom(params), [params]);
  const { data, loading, error, fetchMore, refetch } = useQuery(FeedDocument, {
    variables: { first: PAGE, filter },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const { organisations, ports } = useOrganisationDirectory();
  const [arrived, setArrived] = useState<string[]>([]);
  const { nodes: bulletins, more } = useConnection(data?.bulletins, fetchMore);
  const shown = useMemo(() => new Set(bulletins.map((b) => b.id)), [bulletins]);

  // New bulletins wait behind a banner: the list never moves under the reader's eyes. Revisions and
  // retractions update their card in place (same bulletin in Apollo's cache).
  useSubscription(BulletinEventsDocument, {
    onData: ({ data: event }) => {
      const e = event.data?.bulletinPublished;
      if (e?.kind === 'PUBLISHED' && !shown.has(e.bulletin.id) && matches(filter, e.bulletin)) {
        setArrived((ids) => (ids.includes(e.bulletin.id) ? ids : [...ids, e.bulletin.id]));
      }
    },
  });
  useEffect(() => setArrived([]), [filter]);

  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !more) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) more();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [more, loading]);

  const setParam = (name: string, value: string | string[] | null) => {
    const next = new URLSearchParams(params);
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    if (text) next.set(name, text);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('feed.title')}
      </Title>
      <SimpleGrid
        cols={{ base: 1, xs: 2, md: 4 }}
        spacing="xs"
        component="form"
        role="search"
        aria-label={t('feed.filters')}
      >
        <TextInput
          label={t('feed.text')}
          defaultValue={params.get('q') ?? ''}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), setParam('q', e.currentTarget.value))}
          onBlur={(e) => setParam('q', e.currentTarget.value)}
        />
        <MultiSelect
          label="TLP"
          data={TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l.replace('_', '+')}` }))}
          value={filter.tlp ?? []}
          onChange={(v) => setParam('tlp', v)}
        />
        <MultiSelect
          label={t('feed.category')}
          data={options(t, 'category', CATEGORIES)}
          value={filter.categories ?? []}
          onChange={(v) => setParam('category', v)}
        />
        <Select
          label={t('feed.minSeverity')}
          data={options(t, 'severity', SEVERITIES)}
          value={filter.minSeverity ?? null}
          onChange={(v) => setParam('severity', v)}
          clearable
        />
        <MultiSelect
          label={t('feed.port')}
          data={ports}
          value={filter.ports ?? []}
          onChange={(v) => setParam('port', v)}
          searchable
        />
        <Select
          label={t('feed.author')}
          data={organisations.map((o) => ({ value: o.id, label: o.name }))}
          value={filter.authorOrganisationId ?? null}
          onChange={(v) => setParam('author', v === null ? null : String(v))}
          searchable
          clearable
        />
        <Select
          label={t('feed.status')}
          data={options(t, 'status', STATUSES)}
          value={filter.status ?? null}
          onChange={(v) => setParam('status', v)}
          clearable
        />
        <MultiSelect
          label={t('feed.reliability')}
          data={reliabilityOptions(t)}
          value={filter.sourceReliability ?? []}
          onChange={(v) => setParam('reliability', v)}
        />
        <MultiSelect
          label={t('feed.credibility')}
          data={credibilityOptions(t)}
          value={filter.informationCredibility ?? []}
          onChange={(v) => setParam('credibility', v)}
        />
        <Checkbox
          mt="xl"
          label={t('feed.awaiting')}
          checked={!!filter.awaitingResponse}
          onChange={(e) => setParam('awaiting', e.currentTarget.checked ? '1' : null)}
        />
      </SimpleGrid>
      {writer && <OverdueResponses />}
      <div aria-live="polite">
        {arrived.length > 0 && (
          <Button
            fullWidth
            variant="light"
            onClick={() => {
              setArrived([]);
              void refetch();
              window.scrollTo({ top: 0 });
            }}
          >
            {t('feed.arrived', { count: arrived.length })}
          </Button>
        )}
      </div>
      <ErrorNotice error={error} />
      {data && bulletins.length === 0 && <Text c="dimmed">{t('feed.empty')}</Text>}
      <Stack gap="xs" component="section" aria-label={t('feed.list')}>
        {bulletins.map((b) => (
          <FeedItem key={b.id} b={b} organisationId={current?.organisation?.id} />
        ))}
      </Stack>
      <div ref={sentinel} />
      {loading && <Loading />}
      {more && !loading && (
        <Button variant="default" onClick={more}>
          {t('feed.more')}
        </Button>
      )}
    </Stack>
  );
}
