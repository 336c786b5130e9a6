import { Checkbox, MultiSelect, Select, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { TLP_LEVELS } from '../../components/Tlp';
import { CATEGORIES, credibilityOptions, options, reliabilityOptions, SEVERITIES, STATUSES } from '../../format/enums';
import type { BulletinFilter } from '../../gql/graphql';
import { tlpLabel } from './filters';

/** Their option lists open inside the filters' popover: a click on an option is not a click outside it. */
const IN_POPOVER = { comboboxProps: { withinPortal: false } };

/** Every filter of the feed but the text, behind the filter bar's "More filters". */
export default function FeedFilterFields({
  filter,
  setParam,
}: {
  filter: BulletinFilter;
  setParam: (name: string, value: string | string[] | null) => void;
}) {
  const { t } = useTranslation();
  const { organisations, ports } = useOrganisationDirectory();
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
      <MultiSelect
        label="TLP"
        data={TLP_LEVELS.map((l) => ({ value: l, label: tlpLabel(l) }))}
        value={filter.tlp ?? []}
        onChange={(v) => setParam('tlp', v)}
        {...IN_POPOVER}
      />
      <MultiSelect
        label={t('feed.category')}
        data={options(t, 'category', CATEGORIES)}
        value={filter.categories ?? []}
        onChange={(v) => setParam('category', v)}
        {...IN_POPOVER}
      />
      <Select
        label={t('feed.minSeverity')}
        data={options(t, 'severity', SEVERITIES)}
        value={filter.minSeverity ?? null}
        onChange={(v) => setParam('severity', v)}
        clearable
        {...IN_POPOVER}
      />
      <MultiSelect
        label={t('feed.port')}
        data={ports}
        value={filter.ports ?? []}
        onChange={(v) => setParam('port', v)}
        searchable
        {...IN_POPOVER}
      />
      <Select
        label={t('feed.author')}
        data={organisations.map((o) => ({ value: o.id, label: o.name }))}
        value={filter.authorOrganisationId ?? null}
        onChange={(v) => setParam('author', v === null ? null : String(v))}
        searchable
        clearable
        {...IN_POPOVER}
      />
      <Select
        label={t('feed.status')}
        data={options(t, 'status', STATUSES)}
        value={filter.status ?? null}
        onChange={(v) => setParam('status', v)}
        clearable
        {...IN_POPOVER}
      />
      <MultiSelect
        label={t('feed.reliability')}
        data={reliabilityOptions(t)}
        value={filter.sourceReliability ?? []}
        onChange={(v) => setParam('reliability', v)}
        {...IN_POPOVER}
      />
      <MultiSelect
        label={t('feed.credibility')}
        data={credibilityOptions(t)}
        value={filter.informationCredibility ?? []}
        onChange={(v) => setParam('credibility', v)}
        {...IN_POPOVER}
      />
      <Checkbox
        mt="md"
        label={t('feed.awaiting')}
        checked={!!filter.awaitingResponse}
        onChange={(e) => setParam('awaiting', e.currentTarget.checked ? '1' : null)}
      />
    </SimpleGrid>
  );
}
