import { useMutation, useQuery } from '@apollo/client/react';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { SecretOnce } from '../../components/SecretOnce';
import { Tlp } from '../../components/Tlp';
import { dateTime } from '../../format/time';
import {
  CreateMachineClientDocument,
  type MachineClientFieldsFragment,
  MachineClientsDocument,
  RevokeMachineClientDocument,
  RotateMachineClientKeyDocument,
  type Tlp as TlpLevel,
} from '../../gql/graphql';

/** RED names people: no machine reads it. */
const MACHINE_TLPS: TlpLevel[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT'];

const statusOf = (c: MachineClientFieldsFragment) =>
  c.revokedAt ? 'REVOKED' : new Date(c.expiresAt) <= new Date() ? 'EXPIRED' : 'ACTIVE';

/** Machine clients: the API keys national systems (MISP, OpenCTI) pull with. Organisation admins. */
export default function MachineClientsPage() {
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(MachineClientsDocument, { fetchPolicy: 'cache-and-network' });
  const refetch = { refetchQueries: [MachineClientsDocument] };
  const [create, creating] = useMutation(CreateMachineClientDocument, refetch);
  const [rotate] = useMutation(RotateMachineClientKeyDocument, refetch);
  const [revoke] = useMutation(RevokeMachineClientDocument, refetch);
  const [name, setName] = useState('');
  const [maxTlp, setMaxTlp] = useState<TlpLevel>('GREEN');
  const [canWrite, setCanWrite] = useState(false);
  const [days, setDays] = useState<number | string>(365);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('machineClients.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('machineClients.help')}
      </Text>
      <Card withBorder component="section" aria-label={t('machineClients.new')}>
        <Stack gap="xs">
          <Group grow wrap="wrap" align="flex-start">
            <TextInput
              label={t('machineClients.name')}
              description={t('machineClients.nameHelp')}
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Select
              label={t('machineClients.maxTlp')}
              description={t('machineClients.maxTlpHelp')}
              data={MACHINE_TLPS.map((l) => ({ value: l, label: `TLP:${l.replace('_', '+')}` }))}
              value={maxTlp}
              allowDeselect={false}
              onChange={(v) => v && setMaxTlp(v)}
            />
            <NumberInput label={t('machineClients.expiresInDays')} min={1} max={3650} value={days} onChange={setDays} />
          </Group>
          <Checkbox
            label={t('machineClients.canWrite')}
            description={t('machineClients.canWriteHelp')}
            checked={canWrite}
            onChange={(e) => setCanWrite(e.currentTarget.checked)}
          />
          <ErrorNotice error={creating.error} />
          <Group>
            <Button
              disabled={!name.trim()}
              loading={creating.loading}
              onClick={() =>
                void create({
                  variables: { input: { name: name.trim(), maxTlp, canWrite, expiresInDays: Number(days) || null } },
                })
                  .then((r) => {
                    setSecret(r.data?.createMachineClient.key ?? null);
                    setName('');
                  })
                  .catch(() => undefined)
              }
            >
              {t('machineClients.create')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          rows={data.machineClients}
          rowKey={(c) => c.id}
          testId="machine-clients"
          minWidth={760}
          empty={t('machineClients.none')}
          columns={[
            { header: t('machineClients.name'), cell: (c) => c.name },
            {
              header: t('machineClients.reads'),
              cell: (c) => (
                <Group gap="xs">
                  <Tlp level={c.maxTlp} />
                  {c.canWrite && (
                    <Badge variant="outline" color="gray">
                      {t('machineClients.writesDrafts')}
                    </Badge>
                  )}
                </Group>
              ),
            },
            {
              header: t('machineClients.key'),
              cell: (c) => (
                <Text ff="monospace" size="sm">
                  …{c.keyHint}
                </Text>
              ),
            },
            { header: t('machineClients.expires'), cell: (c) => dateTime(c.expiresAt) },
            {
              header: t('machineClients.lastUse'),
              cell: (c) => (c.lastUsedAt ? dateTime(c.lastUsedAt) : t('machineClients.never')),
            },
            {
              header: t('machineClients.status'),
              cell: (c) => (
                <Badge variant="filled" color={statusOf(c) === 'ACTIVE' ? 'teal.9' : 'gray.2'}>
                  {t(`machineClients.statuses.${statusOf(c)}`)}
                </Badge>
              ),
            },
          ]}
          actions={[
            {
              label: t('machineClients.rotate'),
              when: (c) => statusOf(c) !== 'REVOKED',
              effect: (c) => t('machineClients.rotateEffect', { name: c.name }),
              run: (c) =>
                rotate({ variables: { id: c.id } }).then((r) => setSecret(r.data?.rotateMachineClientKey.key ?? null)),
            },
            {
              label: t('machineClients.revoke'),
              when: (c) => statusOf(c) !== 'REVOKED',
              effect: (c) => t('machineClients.revokeEffect', { name: c.name }),
              color: 'red.9',
              run: (c) => revoke({ variables: { id: c.id } }),
            },
          ]}
        />
      )}
      <SecretOnce
        secret={secret}
        title={t('machineClients.keyTitle')}
        explanation={t('machineClients.keyOnce')}
        onClose={() => setSecret(null)}
      />
    </Stack>
  );
}
