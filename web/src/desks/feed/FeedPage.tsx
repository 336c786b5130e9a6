import { useQuery, useSubscription } from '@apollo/client/react';
import { Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { BulletinBadges } from '../../components/BulletinBadges';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
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
import { columnsFrom, filterFrom, matches, orderFrom } from './filters';
import { FeedFilterBar } from './FeedFilterBar';
import { FeedTable, ReadingBadges } from './FeedTable';
import { SavedViews } from './SavedViews';
import { useConnection } from '../../session/useConnection';

const PAGE = 50;

/** A bulletin as a card: the feed on a phone. */
function FeedItem({ b, organisationId }: { b: FeedBulletinFragment; organisationId?: string }) {
  const { t } = useTranslation();
  const unread = b.readVersion === null;
  return (
    <Card withBorder padding="sm" component="article" className={unread ? 'feed-item-unread' : undefined}>
      <Stack gap={4} style={{ minWidth: 0 }}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <BulletinBadges b={b} />
          <ReadingBadges b={b} organisationId={organisationId} />
        </Group>
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
  const order = orderFrom(params);
  const columns = columnsFrom(params);
  // The table from a laptop's width; cards on a phone or a narrow window.
  const wide = useMediaQuery('(min-width: 62em)', true);
  const { data, loading, error, fetchMore, refetch } = useQuery(FeedDocument, {
    variables: { first: PAGE, filter, order },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
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
  useEffect(() => setArrived([]), [filter, order]);

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

  const openView = useCallback((query: string) => setParams(new URLSearchParams(query)), [setParams]);
  const setParam = (name: string, value: string | string[] | null) => {
    const next = new URLSearchParams(params);
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    if (text) next.set(name, text);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('feed.title')}
        </Title>
        <SavedViews params={params} open={openView} />
      </Group>
      <FeedFilterBar
        params={params}
        filter={filter}
        order={order}
        columns={columns}
        withColumns={wide}
        setParam={setParam}
        clear={() => {
          const kept = new URLSearchParams();
          for (const name of ['order', 'cols']) if (params.get(name)) kept.set(name, params.get(name)!);
          setParams(kept, { replace: true });
        }}
      />
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
      {wide ? (
        bulletins.length > 0 && (
          <FeedTable
            bulletins={bulletins}
            columns={columns}
            order={order}
            onOrder={(o) => setParam('order', o === 'NEWEST' ? null : o)}
            organisationId={current?.organisation?.id}
          />
        )
      ) : (
        <Stack gap="xs" component="section" aria-label={t('feed.list')}>
          {bulletins.map((b) => (
            <FeedItem key={b.id} b={b} organisationId={current?.organisation?.id} />
          ))}
        </Stack>
      )}
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
