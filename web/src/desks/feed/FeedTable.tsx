import { useMutation } from '@apollo/client/react';
import { Anchor, Badge, Button, Checkbox, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Tlp } from '../../components/Tlp';
import { gradingCode, SEVERITY_COLOURS } from '../../format/enums';
import { count, dateTime } from '../../format/time';
import {
  AcknowledgeBulletinsDocument,
  type BulletinOrder,
  type FeedBulletinFragment,
  MarkBulletinsReadDocument,
} from '../../gql/graphql';
import type { Column } from './filters';

/** A column's heading and cell; a sortable one names the server's order(s) it stands for, first the one a click picks. */
interface ColumnDefinition {
  header: string;
  cell: (b: FeedBulletinFragment) => ReactNode;
  orders?: BulletinOrder[];
  /** Cut to the cell's width with an ellipsis (titles and names), where other cells keep their width. */
  ellipsis?: boolean;
}

/** The arrow and the `aria-sort` of a column sorted by `order`. */
const SORTED: Partial<Record<BulletinOrder, 'ascending' | 'descending'>> = {
  NEWEST: 'descending',
  OLDEST: 'ascending',
  SEVERITY: 'descending',
  RESPONSE_DUE: 'ascending',
};

/** Where the person stands with a bulletin: new to them, revised since they read it, acknowledged by their organisation. */
export function readingState(b: FeedBulletinFragment, organisationId?: string) {
  return {
    unread: b.readVersion === null,
    revised: b.readVersion !== null && b.readVersion < b.version,
    acknowledged: b.acknowledgements.some((a) => a.organisation.id === organisationId),
  };
}

export function ReadingBadges({
  b,
  organisationId,
  size,
}: {
  b: FeedBulletinFragment;
  organisationId?: string;
  size?: 'xs';
}) {
  const { t } = useTranslation();
  const { unread, revised, acknowledged } = readingState(b, organisationId);
  return (
    <Group gap={4} wrap="nowrap">
      {unread && (
        <Badge size={size} variant="filled">
          {t('feed.unread')}
        </Badge>
      )}
      {revised && (
        <Badge size={size} color="grape.9" variant="filled">
          {t('feed.revised')}
        </Badge>
      )}
      {acknowledged && (
        <Badge size={size} color="teal.9" variant="filled">
          {t('feed.acknowledged')}
        </Badge>
      )}
    </Group>
  );
}

/**
 * The feed as a dense table (desktop), on Mantine's Table like the console's other tables: the columns
 * the person chose, sorted by the server, a row selection with bulk acknowledge and mark-as-read, and
 * keys on a focused row (roving focus: one row takes Tab, the arrows move).
 */
export function FeedTable({
  bulletins,
  columns,
  order,
  onOrder,
  organisationId,
}: {
  bulletins: FeedBulletinFragment[];
  columns: Column[];
  order: BulletinOrder;
  onOrder: (order: BulletinOrder) => void;
  organisationId?: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const table = useRef<HTMLDivElement>(null);
  const [focused, setFocused] = useState(0);
  const [selected, setSelected] = useState<FeedBulletinFragment[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [acknowledge, acknowledging] = useMutation(AcknowledgeBulletinsDocument);
  const [markRead, marking] = useMutation(MarkBulletinsReadDocument);

  const focusRow = (i: number) => {
    const to = Math.max(0, Math.min(bulletins.length - 1, i));
    setFocused(to);
    table.current?.querySelector<HTMLElement>(`tr[data-feed-row="${to}"]`)?.focus();
  };
  /** The selection, or the focused row when nothing is selected. */
  const targets = (row?: FeedBulletinFragment) => (selected.length ? selected : row ? [row] : []);
  const acknowledgeEach = async (rows: FeedBulletinFragment[]) => {
    if (!rows.length) return;
    const { data } = await acknowledge({ variables: { ids: rows.map((b) => b.id) } });
    setDone(t('feed.acknowledgedCount', { count: data?.acknowledgeBulletins.length ?? 0, of: count(rows.length) }));
    setSelected([]);
  };
  const markEachRead = async (rows: FeedBulletinFragment[]) => {
    if (!rows.length) return;
    const { data } = await markRead({ variables: { ids: rows.map((b) => b.id) } });
    setDone(t('feed.markedRead', { count: data?.markBulletinsRead.length ?? 0 }));
    setSelected([]);
  };
  const toggle = (row: FeedBulletinFragment) =>
    setSelected((now) => (now.some((b) => b.id === row.id) ? now.filter((b) => b.id !== row.id) : [...now, row]));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    // Keys on the row itself: its link and checkbox keep their own.
    if (target.tagName !== 'TR' || !target.dataset.feedRow) return;
    const i = Number(target.dataset.feedRow);
    const row = bulletins[i];
    const keys: Record<string, () => unknown> = {
      ArrowDown: () => focusRow(i + 1),
      j: () => focusRow(i + 1),
      ArrowUp: () => focusRow(i - 1),
      k: () => focusRow(i - 1),
      Home: () => focusRow(0),
      End: () => focusRow(bulletins.length - 1),
      Enter: () => navigate(consolePath('bulletin', { id: row.id })),
      o: () => navigate(consolePath('bulletin', { id: row.id })),
      x: () => toggle(row),
      ' ': () => toggle(row),
      a: () => acknowledgeEach(targets(row)),
      r: () => markEachRead(targets(row)),
    };
    const action = !e.ctrlKey && !e.metaKey && !e.altKey ? keys[e.key] : undefined;
    if (!action) return;
    e.preventDefault();
    void Promise.resolve(action()).catch(() => undefined); // a failure shows through the mutation's error
  };

  const definitions: Record<Column, ColumnDefinition> = {
    tlp: { header: 'TLP', cell: (b) => <Tlp level={b.tlp} /> },
    grading: {
      header: t('feed.columns.grading'),
      cell: (b) => gradingCode(b.sourceReliability, b.informationCredibility),
    },
    severity: {
      header: t('feed.columns.severity'),
      orders: ['SEVERITY'],
      cell: (b) => (
        <Badge size="xs" color={SEVERITY_COLOURS[b.severity]} variant="filled">
          {t(`enums.severity.${b.severity}`)}
        </Badge>
      ),
    },
    title: {
      header: t('feed.columns.title'),
      ellipsis: true,
      cell: (b) => (
        <Anchor
          component={Link}
          to={consolePath('bulletin', { id: b.id })}
          fw={b.readVersion === null ? 700 : 400}
          size="sm"
          // The row takes the focus and Enter opens it; fifty links in the tab order would not help.
          tabIndex={-1}
        >
          {b.title}
        </Anchor>
      ),
    },
    author: { header: t('feed.author'), ellipsis: true, cell: (b) => b.authorOrganisation.name },
    category: { header: t('feed.category'), ellipsis: true, cell: (b) => t(`enums.category.${b.category}`) },
    ports: { header: t('feed.port'), cell: (b) => b.ports.join(', ') },
    published: {
      header: t('feed.columns.published'),
      orders: ['NEWEST', 'OLDEST'],
      cell: (b) => (b.publishedAt ? dateTime(b.publishedAt) : ''),
    },
    status: { header: t('feed.status'), cell: (b) => t(`enums.status.${b.status}`) },
    responseDue: {
      header: t('feed.columns.responseDue'),
      orders: ['RESPONSE_DUE'],
      cell: (b) => (b.responseDueAt ? dateTime(b.responseDueAt) : ''),
    },
    state: {
      header: t('feed.columns.state'),
      cell: (b) => <ReadingBadges b={b} organisationId={organisationId} size="xs" />,
    },
  };
  const isSelected = (b: FeedBulletinFragment) => selected.some((s) => s.id === b.id);
  const allSelected = bulletins.length > 0 && bulletins.every(isSelected);

  return (
    <>
      <Group justify="space-between" mih={28} gap="xs">
        <Text size="xs" c="dimmed">
          {t('feed.keys')}
        </Text>
        <Text size="sm" aria-live="polite">
          {done}
        </Text>
        {selected.length > 0 && (
          <Group gap="xs" role="group" aria-label={t('feed.selection')}>
            <Text size="sm">{t('feed.selected', { count: selected.length })}</Text>
            <Button
              size="compact-sm"
              loading={acknowledging.loading}
              onClick={() => void acknowledgeEach(selected).catch(() => undefined)}
            >
              {t('feed.acknowledgeSelected')}
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              loading={marking.loading}
              onClick={() => void markEachRead(selected).catch(() => undefined)}
            >
              {t('feed.markSelectedRead')}
            </Button>
            <Button size="compact-sm" variant="subtle" onClick={() => setSelected([])}>
              {t('feed.clearSelection')}
            </Button>
          </Group>
        )}
      </Group>
      <ErrorNotice error={acknowledging.error ?? marking.error} />
      <Table.ScrollContainer minWidth={900} ref={table} onKeyDown={onKeyDown}>
        <Table
          aria-label={t('feed.list')}
          withTableBorder
          highlightOnHover
          verticalSpacing={4}
          fz="sm"
          className="feed-table"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36}>
                <Checkbox
                  size="xs"
                  aria-label={t('feed.selectAll')}
                  checked={allSelected}
                  indeterminate={selected.length > 0 && !allSelected}
                  onChange={() => setSelected(allSelected ? [] : bulletins)}
                />
              </Table.Th>
              {columns.map((c) => {
                const { header, orders } = definitions[c];
                const sorted = orders?.includes(order) ? SORTED[order] : undefined;
                return (
                  <Table.Th key={c} aria-sort={sorted}>
                    {orders ? (
                      // A click sorts by this column; on the published column a second click turns the order round.
                      <UnstyledButton
                        fz="sm"
                        fw={700}
                        onClick={() =>
                          onOrder(sorted && orders.length > 1 ? orders.find((o) => o !== order)! : orders[0])
                        }
                      >
                        {header} {sorted === 'ascending' ? '↑' : sorted === 'descending' ? '↓' : ''}
                      </UnstyledButton>
                    ) : (
                      header
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bulletins.map((b, i) => (
              <Table.Tr
                key={b.id}
                data-feed-row={i}
                tabIndex={i === focused ? 0 : -1}
                onFocus={(e) => e.target === e.currentTarget && setFocused(i)}
                className={b.readVersion === null ? 'feed-row-unread' : undefined}
              >
                <Table.Td>
                  <Checkbox
                    size="xs"
                    // Rows, not their checkboxes, take Tab: x selects the focused row.
                    tabIndex={-1}
                    aria-label={t('feed.select', { title: b.title })}
                    checked={isSelected(b)}
                    onChange={() => toggle(b)}
                  />
                </Table.Td>
                {columns.map((c) => {
                  const { cell, ellipsis } = definitions[c];
                  return (
                    <Table.Td key={c} className={ellipsis ? `feed-cell-ellipsis feed-cell-${c}` : undefined}>
                      {cell(b)}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
