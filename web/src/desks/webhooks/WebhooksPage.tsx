import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  MultiSelect,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { SecretOnce } from '../../components/SecretOnce';
import { Tlp } from '../../components/Tlp';
import { CATEGORIES, options } from '../../format/enums';
import { dateTime } from '../../format/time';
import {
  type BulletinCategory,
  CreateWebhookDocument,
  DeleteWebhookDocument,
  EnableWebhookDocument,
  RetryWebhookDeliveryDocument,
  RotateWebhookSecretDocument,
  type Tlp as TlpLevel,
  WebhookDeliveriesDocument,
  type WebhookDeliveryStatus,
  type WebhookFieldsFragment,
  WebhooksDocument,
} from '../../gql/graphql';

/** RED names people: no webhook is told of it. */
const WEBHOOK_TLPS: TlpLevel[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT'];

const DELIVERY_COLOURS: Record<WebhookDeliveryStatus, string> = {
  SENT: 'teal.9',
  PENDING: 'yellow.2',
  SKIPPED: 'gray.2',
  FAILED: 'red.9',
};

const statusOf = (w: WebhookFieldsFragment) =>
  w.deletedAt
    ? 'DELETED'
    : w.disabledAt
      ? 'DISABLED'
      : w.lastFailureAt && (!w.lastSuccessAt || new Date(w.lastFailureAt) > new Date(w.lastSuccessAt))
        ? 'FAILING'
        : 'ACTIVE';

const STATUS_COLOURS = { ACTIVE: 'teal.9', FAILING: 'red.9', DISABLED: 'red.9', DELETED: 'gray.2' };

/** A webhook's latest deliveries: what failed and why, and sending a failed one again. */
function Deliveries({ webhook }: { webhook: WebhookFieldsFragment }) {
  const { t } = useTranslation();
  const { data, error, loading, refetch } = useQuery(WebhookDeliveriesDocument, {
    variables: { webhookId: webhook.id },
    fetchPolicy: 'cache-and-network',
  });
  const [retry] = useMutation(RetryWebhookDeliveryDocument);
  return (
    <Card withBorder component="section" aria-label={t('webhooks.deliveriesTo', { name: webhook.name })}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('webhooks.deliveriesTo', { name: webhook.name })}
          </Title>
          <Button variant="default" size="xs" onClick={() => void refetch()}>
            {t('webhooks.refresh')}
          </Button>
        </Group>
        <ErrorNotice error={error} />
        {loading && !data && <Loading />}
        {data && (
          <DataTable
            rows={data.webhookDeliveries}
            rowKey={(d) => d.id}
            testId="webhook-deliveries"
            minWidth={760}
            empty={t('webhooks.noDeliveries')}
            columns={[
              { header: t('webhooks.created'), cell: (d) => dateTime(d.createdAt) },
              {
                header: t('webhooks.bulletin'),
                cell: (d) => (
                  <Anchor component={Link} to={consolePath('bulletin', { id: d.bulletinId })} size="sm">
                    {t('webhooks.version', { version: d.version })}
                  </Anchor>
                ),
              },
              { header: t('webhooks.event'), cell: (d) => t(`webhooks.kinds.${d.kind}`) },
              {
                header: t('webhooks.status'),
                cell: (d) => (
                  <Badge variant="filled" color={DELIVERY_COLOURS[d.status]}>
                    {t(`webhooks.deliveryStatuses.${d.status}`)}
                  </Badge>
                ),
              },
              { header: t('webhooks.attempts'), cell: (d) => d.attempts },
              { header: t('webhooks.lastError'), cell: (d) => <Text size="sm">{d.lastError ?? '—'}</Text> },
            ]}
            actions={[
              {
                label: t('webhooks.retry'),
                when: (d) => d.status === 'FAILED' && !webhook.deletedAt,
                effect: () => t('webhooks.retryEffect', { name: webhook.name }),
                run: (d) => retry({ variables: { id: d.id } }).then(() => refetch()),
              },
            ]}
          />
        )}
      </Stack>
    </Card>
  );
}

/** Webhooks: HTTPS endpoints of the organisation's systems told of bulletins, signed. Organisation admins. */
export default function WebhooksPage() {
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(WebhooksDocument, { fetchPolicy: 'cache-and-network' });
  const refetch = { refetchQueries: [WebhooksDocument] };
  const [create, creating] = useMutation(CreateWebhookDocument, refetch);
  const [rotate] = useMutation(RotateWebhookSecretDocument, refetch);
  const [remove] = useMutation(DeleteWebhookDocument, refetch);
  const [enable] = useMutation(EnableWebhookDocument, refetch);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [maxTlp, setMaxTlp] = useState<TlpLevel>('GREEN');
  const [categories, setCategories] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const selected = data?.webhooks.find((w) => w.id === shown);
  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('webhooks.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('webhooks.help')}
      </Text>
      <Card withBorder component="section" aria-label={t('webhooks.new')}>
        <Stack gap="xs">
          <Group grow wrap="wrap" align="flex-start">
            <TextInput
              label={t('webhooks.name')}
              description={t('webhooks.nameHelp')}
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <TextInput
              label={t('webhooks.url')}
              description={t('webhooks.urlHelp')}
              value={url}
              type="url"
              placeholder="https://"
              maxLength={2000}
              onChange={(e) => setUrl(e.currentTarget.value)}
            />
          </Group>
          <Group grow wrap="wrap" align="flex-start">
            <Select
              label={t('webhooks.maxTlp')}
              description={t('webhooks.maxTlpHelp')}
              data={WEBHOOK_TLPS.map((l) => ({ value: l, label: `TLP:${l.replace('_', '+')}` }))}
              value={maxTlp}
              allowDeselect={false}
              onChange={(v) => v && setMaxTlp(v)}
            />
            <MultiSelect
              label={t('webhooks.categories')}
              description={t('webhooks.categoriesHelp')}
              data={options(t, 'category', CATEGORIES)}
              value={categories}
              onChange={setCategories}
            />
          </Group>
          <ErrorNotice error={creating.error} />
          <Group>
            <Button
              disabled={!name.trim() || !url.trim()}
              loading={creating.loading}
              onClick={() =>
                void create({
                  variables: {
                    input: {
                      name: name.trim(),
                      url: url.trim(),
                      maxTlp,
                      filter: { categories: categories as BulletinCategory[] },
                    },
                  },
                })
                  .then((r) => {
                    setSecret(r.data?.createWebhook.secret ?? null);
                    setName('');
                    setUrl('');
                  })
                  .catch(() => undefined)
              }
            >
              {t('webhooks.create')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <ErrorNotice error={error} />
      {data?.webhooks.map(
        (w) =>
          w.disabledAt &&
          !w.deletedAt && (
            <Alert key={w.id} color="red" title={t('webhooks.disabledTitle', { name: w.name })}>
              {t('webhooks.disabledText', {
                since: dateTime(w.failingSince ?? w.disabledAt),
                date: dateTime(w.disabledAt),
                error: w.lastError ?? '—',
              })}
            </Alert>
          ),
      )}
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          rows={data.webhooks}
          rowKey={(w) => w.id}
          testId="webhooks"
          minWidth={860}
          empty={t('webhooks.none')}
          columns={[
            { header: t('webhooks.name'), cell: (w) => w.name },
            {
              header: t('webhooks.url'),
              cell: (w) => (
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {w.url}
                </Text>
              ),
            },
            { header: t('webhooks.maxTlp'), cell: (w) => <Tlp level={w.maxTlp} /> },
            {
              header: t('webhooks.lastSuccess'),
              cell: (w) => (w.lastSuccessAt ? dateTime(w.lastSuccessAt) : t('webhooks.never')),
            },
            {
              header: t('webhooks.lastFailure'),
              cell: (w) =>
                w.lastFailureAt ? (
                  <Stack gap={0}>
                    <Text size="sm">{dateTime(w.lastFailureAt)}</Text>
                    <Text size="xs">{w.lastError}</Text>
                  </Stack>
                ) : (
                  t('webhooks.never')
                ),
            },
            {
              header: t('webhooks.status'),
              cell: (w) => (
                <Badge variant="filled" color={STATUS_COLOURS[statusOf(w)]}>
                  {t(`webhooks.statuses.${statusOf(w)}`)}
                </Badge>
              ),
            },
          ]}
          actions={[
            {
              label: t('webhooks.deliveries'),
              pressed: (w) => shown === w.id,
              run: (w) => setShown(shown === w.id ? null : w.id),
            },
            {
              label: t('webhooks.enable'),
              when: (w) => statusOf(w) === 'DISABLED',
              effect: (w) => t('webhooks.enableEffect', { name: w.name }),
              run: (w) => enable({ variables: { id: w.id } }),
            },
            {
              label: t('webhooks.rotate'),
              when: (w) => statusOf(w) !== 'DELETED',
              effect: (w) => t('webhooks.rotateEffect', { name: w.name }),
              run: (w) =>
                rotate({ variables: { id: w.id } }).then((r) => setSecret(r.data?.rotateWebhookSecret.secret ?? null)),
            },
            {
              label: t('webhooks.delete'),
              when: (w) => statusOf(w) !== 'DELETED',
              effect: (w) => t('webhooks.deleteEffect', { name: w.name }),
              color: 'red.9',
              run: (w) => remove({ variables: { id: w.id } }),
            },
          ]}
        />
      )}
      {selected && <Deliveries webhook={selected} />}
      <SecretOnce
        secret={secret}
        title={t('webhooks.secretTitle')}
        explanation={t('webhooks.secretOnce')}
        onClose={() => setSecret(null)}
      />
    </Stack>
  );
}
