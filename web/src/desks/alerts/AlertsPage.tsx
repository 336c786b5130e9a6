import { useMutation, useQuery } from '@apollo/client/react';
import { useDebouncedValue } from '@mantine/hooks';
import {
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  Radio,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Tlp } from '../../components/Tlp';
import { CATEGORIES, options, ORGANISATION_TYPES, SEVERITIES } from '../../format/enums';
import { count, dateTime } from '../../format/time';
import {
  type AlertFilterInput,
  AlertFilterPreviewDocument,
  type AlertSubscriptionFieldsFragment,
  type AlertSubscriptionInput,
  AlertSubscriptionsDocument,
  CreateAlertSubscriptionDocument,
  DeleteAlertSubscriptionDocument,
  UpdateAlertSubscriptionDocument,
} from '../../gql/graphql';
import { useConnection } from '../../session/useConnection';
import { CorrelationNotices } from './CorrelationNotices';

type Filter = Required<Omit<AlertFilterInput, 'minSeverity'>> & { minSeverity: AlertFilterInput['minSeverity'] };

const NEW: AlertSubscriptionInput & { filter: Filter } = {
  name: '',
  channels: ['EMAIL', 'REALTIME'],
  mode: 'IMMEDIATE',
  filter: { categories: [], minSeverity: null, ports: [], organisationTypes: [], authorOrganisationIds: [] },
};

function Preview({ filter }: { filter: Filter }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(filter, 400);
  const { data, error } = useQuery(AlertFilterPreviewDocument, { variables: { filter: debounced } });
  if (error) return <ErrorNotice error={error} />;
  if (!data) return null;
  const p = data.alertFilterPreview;
  return (
    <Card withBorder data-testid="alert-preview">
      <Text fw={600} aria-live="polite">
        {t('alerts.previewCount', { count: p.matched, n: count(p.matched) })}
        {p.capped ? ` ${t('alerts.capped')}` : ''}
      </Text>
      {p.recent.map((b) => (
        <Group key={b.id} gap="xs" wrap="nowrap">
          <Tlp level={b.tlp} />
          <Anchor component={Link} to={consolePath('bulletin', { id: b.id })} size="sm" lineClamp={1}>
            {b.title}
          </Anchor>
          <Text size="xs" c="dimmed">
            {b.publishedAt ? dateTime(b.publishedAt) : ''}
          </Text>
        </Group>
      ))}
    </Card>
  );
}

function SubscriptionForm({ initial, onDone }: { initial?: AlertSubscriptionFieldsFragment; onDone: () => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(
    initial
      ? { name: initial.name, channels: initial.channels, mode: initial.mode, filter: { ...initial.filter } }
      : NEW,
  );
  const { organisations, ports } = useOrganisationDirectory();
  const [create, creating] = useMutation(CreateAlertSubscriptionDocument, {
    refetchQueries: [AlertSubscriptionsDocument],
  });
  const [update, updating] = useMutation(UpdateAlertSubscriptionDocument);
  const setFilter = (patch: Partial<Filter>) => setValue((v) => ({ ...v, filter: { ...v.filter, ...patch } }));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = { ...value, name: value.name.trim() };
    if (initial) await update({ variables: { id: initial.id, input } });
    else await create({ variables: { input } });
    onDone();
  };
  return (
    <Card withBorder component="form" onSubmit={(e: React.FormEvent) => void submit(e).catch(() => undefined)}>
      <Stack>
        <TextInput
          label={t('alerts.name')}
          required
          value={value.name}
          onChange={(e) => setValue({ ...value, name: e.currentTarget.value })}
        />
        <Checkbox.Group
          label={t('alerts.channels')}
          value={value.channels}
          onChange={(channels) => setValue({ ...value, channels: channels })}
        >
          <Group mt="xs">
            <Checkbox value="EMAIL" label={t('enums.channel.EMAIL')} />
            <Checkbox value="REALTIME" label={t('enums.channel.REALTIME')} />
          </Group>
        </Checkbox.Group>
        <Radio.Group
          label={t('alerts.mode')}
          value={value.mode}
          onChange={(mode) => setValue({ ...value, mode: mode })}
        >
          <Group mt="xs">
            <Radio value="IMMEDIATE" label={t('enums.mode.IMMEDIATE')} />
            <Radio value="DAILY_DIGEST" label={t('enums.mode.DAILY_DIGEST')} />
          </Group>
        </Radio.Group>
        <MultiSelect
          label={t('feed.category')}
          description={t('alerts.emptyIsAny')}
          data={options(t, 'category', CATEGORIES)}
          value={value.filter.categories}
          onChange={(categories) => setFilter({ categories: categories as Filter['categories'] })}
        />
        <Select
          label={t('feed.minSeverity')}
          data={options(t, 'severity', SEVERITIES)}
          value={value.filter.minSeverity ?? null}
          onChange={(v) => setFilter({ minSeverity: v as Filter['minSeverity'] })}
          clearable
        />
        <TagsInput
          label={t('feed.port')}
          description={t('alerts.emptyIsAny')}
          data={ports}
          value={value.filter.ports}
          onChange={(p) => setFilter({ ports: p.map((x) => x.trim().toUpperCase()) })}
        />
        <MultiSelect
          label={t('alerts.organisationTypes')}
          description={t('alerts.emptyIsAny')}
          data={options(t, 'organisationType', ORGANISATION_TYPES)}
          value={value.filter.organisationTypes}
          onChange={(v) => setFilter({ organisationTypes: v as Filter['organisationTypes'] })}
        />
        <MultiSelect
          label={t('alerts.authors')}
          description={t('alerts.emptyIsAny')}
          data={organisations.map((o) => ({ value: o.id, label: o.name }))}
          value={value.filter.authorOrganisationIds}
          onChange={(authorOrganisationIds) => setFilter({ authorOrganisationIds })}
          searchable
        />
        <Preview filter={value.filter} />
        <ErrorNotice error={creating.error ?? updating.error} />
        <Group>
          <Button type="submit" loading={creating.loading || updating.loading}>
            {initial ? t('alerts.save') : t('alerts.create')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export default function AlertsPage() {
  const { t } = useTranslation();
  const { data, error } = useQuery(AlertSubscriptionsDocument);
  const [editing, setEditing] = useState<string | null>(null);
  const [remove, removing] = useMutation(DeleteAlertSubscriptionDocument, {
    refetchQueries: [AlertSubscriptionsDocument],
  });
  const { nodes: subscriptions } = useConnection(data?.alertSubscriptions);
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('alerts.title')}
      </Title>
      <Text>{t('alerts.help')}</Text>
      <ErrorNotice error={error ?? removing.error} />
      {editing === 'new' ? (
        <SubscriptionForm onDone={() => setEditing(null)} />
      ) : (
        <Button w="fit-content" onClick={() => setEditing('new')}>
          {t('alerts.new')}
        </Button>
      )}
      {data && subscriptions.length === 0 && <Text c="dimmed">{t('alerts.none')}</Text>}
      {subscriptions.map((s) =>
        editing === s.id ? (
          <SubscriptionForm key={s.id} initial={s} onDone={() => setEditing(null)} />
        ) : (
          <Card withBorder key={s.id} padding="sm">
            <Group justify="space-between">
              <Stack gap={2}>
                <Text fw={600}>{s.name}</Text>
                <Text size="sm" c="dimmed">
                  {s.channels.map((c) => t(`enums.channel.${c}`)).join(', ')} · {t(`enums.mode.${s.mode}`)}
                </Text>
              </Stack>
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => setEditing(s.id)}>
                  {t('alerts.edit')}
                </Button>
                <Button
                  size="xs"
                  color="red"
                  variant="subtle"
                  onClick={() => void remove({ variables: { id: s.id } }).catch(() => undefined)}
                >
                  {t('alerts.delete')}
                </Button>
              </Group>
            </Group>
          </Card>
        ),
      )}
      <CorrelationNotices />
    </Stack>
  );
}
