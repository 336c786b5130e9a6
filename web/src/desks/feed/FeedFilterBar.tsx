import { Button, Checkbox, Group, Pill, Popover, Select, Stack, TextInput } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { Loading } from '../../components/Loading';
import type { BulletinFilter, BulletinOrder } from '../../gql/graphql';
import { type Column, COLUMNS, ORDERS, tlpLabel } from './filters';

// Loaded when the filters are first opened: the feed works without them.
const FeedFilterFields = lazy(() => import('./FeedFilterFields'));

/** Each active filter value as a chip: its address parameter, the value, and what the chip says. */
function chipsOf(
  filter: BulletinFilter,
  t: TFunction,
  organisationName: (id: string) => string,
): { param: string; value: string; label: string }[] {
  const each = (param: string, values: readonly string[] | null | undefined, label: (v: string) => string) =>
    (values ?? []).map((value) => ({ param, value, label: label(value) }));
  return [
    ...each('q', filter.text ? [filter.text] : [], (v) => `“${v}”`),
    ...each('tlp', filter.tlp, tlpLabel),
    ...each('category', filter.categories, (v) => t(`enums.category.${v}`)),
    ...each('severity', filter.minSeverity ? [filter.minSeverity] : [], (v) =>
      t('feed.chip.minSeverity', { severity: t(`enums.severity.${v}`) }),
    ),
    ...each('port', filter.ports, (v) => v),
    ...each('author', filter.authorOrganisationId ? [String(filter.authorOrganisationId)] : [], organisationName),
    ...each('status', filter.status ? [filter.status] : [], (v) => t(`enums.status.${v}`)),
    ...each('reliability', filter.sourceReliability, (v) => `${t('feed.reliability')}: ${v}`),
    ...each('credibility', filter.informationCredibility, (v) => t(`enums.credibility.${v}`)),
    ...each('awaiting', filter.awaitingResponse ? ['1'] : [], () => t('feed.awaiting')),
  ];
}

/**
 * The feed's filters in one bar: the text search, the other filters behind one button, the order,
 * the columns (on the table), and the active filters as chips that remove themselves.
 */
export function FeedFilterBar({
  params,
  filter,
  order,
  columns,
  withColumns,
  setParam,
  clear,
}: {
  params: URLSearchParams;
  filter: BulletinFilter;
  order: BulletinOrder;
  columns: Column[];
  withColumns: boolean;
  setParam: (name: string, value: string | string[] | null) => void;
  /** Removes every filter, keeping the order and the columns. */
  clear: () => void;
}) {
  const { t } = useTranslation();
  const { organisations } = useOrganisationDirectory();
  const chips = chipsOf(filter, t, (id) => organisations.find((o) => o.id === id)?.name ?? id);
  const remove = (param: string, value: string) => {
    const rest = (params.get(param) ?? '').split(',').filter((v) => v && v !== value);
    setParam(param, ['q', 'severity', 'author', 'status', 'awaiting'].includes(param) ? null : rest);
  };

  return (
    <form role="search" aria-label={t('feed.filters')} onSubmit={(e) => e.preventDefault()}>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput
          key={params.get('q') ?? ''}
          label={t('feed.text')}
          defaultValue={params.get('q') ?? ''}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), setParam('q', e.currentTarget.value))}
          onBlur={(e) => setParam('q', e.currentTarget.value)}
          style={{ flex: '1 1 14rem' }}
        />
        <Popover width={640} position="bottom-start" trapFocus shadow="md">
          <Popover.Target>
            <Button variant="default">{t('feed.moreFilters')}</Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Suspense fallback={<Loading />}>
              <FeedFilterFields filter={filter} setParam={setParam} />
            </Suspense>
          </Popover.Dropdown>
        </Popover>
        <Select
          label={t('feed.order')}
          data={ORDERS.map((o) => ({ value: o, label: t(`feed.orders.${o}`) }))}
          value={order}
          onChange={(v) => setParam('order', v === 'NEWEST' ? null : v)}
          allowDeselect={false}
          w={200}
        />
        {withColumns && (
          <Popover position="bottom-end" trapFocus shadow="md">
            <Popover.Target>
              <Button variant="default">{t('feed.chooseColumns')}</Button>
            </Popover.Target>
            <Popover.Dropdown>
              <Checkbox.Group
                label={t('feed.chooseColumns')}
                value={columns}
                onChange={(chosen) =>
                  setParam(
                    'cols',
                    COLUMNS.filter((c) => chosen.includes(c)),
                  )
                }
              >
                <Stack gap={6} mt="xs">
                  {COLUMNS.map((c) => (
                    // The title stays: a table without it lists nothing to open.
                    <Checkbox key={c} value={c} label={t(`feed.columnNames.${c}`)} disabled={c === 'title'} />
                  ))}
                </Stack>
              </Checkbox.Group>
            </Popover.Dropdown>
          </Popover>
        )}
      </Group>
      {chips.length > 0 && (
        <Group gap={6} mt="xs">
          <Group gap={6} aria-label={t('feed.activeFilters')} role="list">
            {chips.map((c) => (
              <Pill
                key={`${c.param}:${c.value}`}
                role="listitem"
                withRemoveButton
                onRemove={() => remove(c.param, c.value)}
                // Mantine hides a pill's remove button from the keyboard (inputs remove with Backspace): here it is the way.
                removeButtonProps={{
                  'aria-label': t('feed.removeFilter', { filter: c.label }),
                  'aria-hidden': false,
                  tabIndex: 0,
                }}
              >
                {c.label}
              </Pill>
            ))}
          </Group>
          <Button size="compact-xs" variant="subtle" onClick={clear}>
            {t('feed.clearFilters')}
          </Button>
        </Group>
      )}
    </form>
  );
}
