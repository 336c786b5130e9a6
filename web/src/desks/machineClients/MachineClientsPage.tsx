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
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
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
import { ActionsHeader } from '../../components/ActionsHeader';

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
      {data && data.machineClients.length === 0 && <Text c="dimmed">{t('machineClients.none')}</Text>}
      {data && data.machineClients.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid="machine-clients">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('machineClients.name')}</Table.Th>
                <Table.Th>{t('machineClients.reads')}</Table.Th>
                <Table.Th>{t('machineClients.key')}</Table.Th>
                <Table.Th>{t('machineClients.expires')}</Table.Th>
                <Table.Th>{t('machineClients.lastUse')}</Table.Th>
                <Table.Th>{t('machineClients.status')}</Table.Th>
                <ActionsHeader />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.machineClients.map((c) => {
                const status = statusOf(c);
                return (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.name}</Table.Td>
                    <Table.Td>
                      <Group gap="xs">
                        <Tlp level={c.maxTlp} />
                        {c.canWrite && (
                          <Badge variant="outline" color="gray">
                            {t('machineClients.writesDrafts')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        …{c.keyHint}
                      </Text>
                    </Table.Td>
                    <Table.Td>{dateTime(c.expiresAt)}</Table.Td>
                    <Table.Td>{c.lastUsedAt ? dateTime(c.lastUsedAt) : t('machineClients.never')}</Table.Td>
                    <Table.Td>
                      <Badge variant="filled" color={status === 'ACTIVE' ? 'teal.9' : 'gray.2'}>
                        {t(`machineClients.statuses.${status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {status !== 'REVOKED' && (
                        <Group gap="xs" wrap="nowrap">
                          <ConfirmButton
                            label={t('machineClients.rotate')}
                            title={t('machineClients.rotate')}
                            effect={t('machineClients.rotateEffect', { name: c.name })}
                            confirm={t('machineClients.rotate')}
                            onConfirm={() =>
                              rotate({ variables: { id: c.id } }).then((r) =>
                                setSecret(r.data?.rotateMachineClientKey.key ?? null),
                              )
                            }
                          />
                          <ConfirmButton
                            label={t('machineClients.revoke')}
                            title={t('machineClients.revoke')}
                            effect={t('machineClients.revokeEffect', { name: c.name })}
                            confirm={t('machineClients.revoke')}
                            color="red.9"
                            onConfirm={() => revoke({ variables: { id: c.id } })}
                          />
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
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
